import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../../db/connect.js'
import { inTransaction, uniqueViolation } from '../../db/errors.js'
import { badRequest, FieldErrorCollector, HttpError, tokenNotValid, WWW_AUTHENTICATE } from '../../errors.js'
import { bearerAuth, errorResponses, Message } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { createUser, findUserForLogin, takenIdentities, type UserRow } from '../users/users.repository.js'
import { EMAIL_TAKEN, USERNAME_TAKEN } from '../users/users.validation.js'
import { LoginBody, LoginResponse, RefreshBody, RefreshResponse, RegisterBody, RegisterResponse } from './auth.schemas.js'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js'
import { createSession, endSession, findSessionUser, touchSession } from './sessions.repository.js'
import type { TokenPair } from './tokens.js'

const USER_AGENT_MAX = 500

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Opens a session for the user and returns its token pair (both carry the session id as `sid`). */
  async function openSession(db: Db, user: UserRow, request: FastifyRequest, now: Date): Promise<TokenPair> {
    const sessionId = randomUUID()
    const expiresAt = new Date(now.getTime() + app.tokens.refreshTtlSeconds * 1000).toISOString()
    const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX) ?? null
    await createSession(db, { id: sessionId, userId: user.id, expiresAt, userAgent, ip: request.ip }, now.toISOString())
    return app.tokens.issuePair(user.id, sessionId)
  }

  app.post(
    '/register/',
    {
      onRequest: app.limits.registrationsPerIp,
      schema: {
        summary: 'Register an account (opens a session)',
        tags: ['auth'],
        body: RegisterBody,
        response: { 201: RegisterResponse, ...errorResponses(400, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body
      const taken = await takenIdentities(app.db, body.username, body.email)
      const errors = new FieldErrorCollector()
      if (taken.username) errors.add('username', USERNAME_TAKEN)
      if (taken.email) errors.add('email', EMAIL_TAKEN)
      errors.throwIfAny()

      const passwordHash = await hashPassword(body.password)
      const now = new Date()
      try {
        const { user, tokens } = await inTransaction(app.db, async (trx) => {
          const user = await createUser(
            trx,
            {
              username: body.username,
              email: body.email,
              passwordHash,
              firstName: body.first_name ?? '',
              lastName: body.last_name ?? '',
              bio: body.bio ?? '',
              avatar: body.avatar || null,
            },
            now.toISOString(),
          )
          return { user, tokens: await openSession(trx, user, request, now) }
        })
        return reply.code(201).send({ user, ...tokens })
      } catch (error) {
        // Another registration of the same name or email committed between our check and our insert.
        const constraint = uniqueViolation(error)
        if (constraint?.includes('username_key')) errors.add('username', USERNAME_TAKEN)
        else if (constraint?.includes('email_key')) errors.add('email', EMAIL_TAKEN)
        errors.throwIfAny()
        throw error
      }
    },
  )

  app.post(
    '/login/',
    {
      onRequest: app.limits.loginsPerIp,
      preHandler: app.limits.loginFailures,
      schema: {
        summary: 'Log in with username or email (opens a session)',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses(400, 401, 415) },
      },
    },
    async (request) => {
      const { username, password } = request.body
      const user = await findUserForLogin(app.db, username)
      // Unknown user, wrong password and inactive account cost the same and answer the same.
      const passwordMatches = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password)
      if (user === undefined || !passwordMatches || !user.is_active) {
        throw new HttpError(401, { detail: 'No active account found with the given credentials' }, WWW_AUTHENTICATE)
      }
      const tokens = await openSession(app.db, user, request, new Date())
      return { user, ...tokens }
    },
  )

  app.post(
    '/token/refresh/',
    {
      schema: {
        summary: 'A new access token for a refresh token of an open session',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: RefreshResponse, ...errorResponses(400, 401, 415) },
      },
    },
    async (request) => {
      const claims = app.tokens.verify(request.body.refresh, 'refresh')
      const now = new Date().toISOString()
      const user = claims && (await findSessionUser(app.db, claims.user_id, claims.sid, now))
      if (!claims || !user) throw tokenNotValid('Token is invalid or expired')
      await touchSession(app.db, claims.sid, now)
      return { access: app.tokens.issueAccess(user.id, claims.sid) }
    },
  )

  app.post(
    '/logout/',
    {
      onRequest: app.authenticate,
      schema: {
        summary: 'End the session of a refresh token: its refresh and access tokens stop working',
        tags: ['auth'],
        security: bearerAuth,
        body: RefreshBody,
        response: { 200: Message, ...errorResponses(400, 401, 415) },
      },
    },
    async (request) => {
      const user = caller(request)
      const claims = app.tokens.verify(request.body.refresh, 'refresh')
      if (claims === null) throw badRequest('Token is invalid or expired')
      if (claims.user_id !== user.id) throw badRequest('The refresh token does not belong to the authenticated user.')
      // Idempotent: ending a session that has already ended changes nothing.
      await endSession(app.db, user.id, claims.sid)
      return { message: 'Successfully logged out' }
    },
  )
}

export default authRoutes
