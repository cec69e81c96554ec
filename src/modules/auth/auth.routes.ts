import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { bearerAuth, errorResponse, errorResponses, Message } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { LoginBody, LoginResponse, RefreshBody, RefreshResponse, RegisterBody, RegisterResponse } from './auth.schemas.js'
import { logIn, logOut, refresh, register, type Client } from './auth.service.js'
import type { TokenService } from './tokens.js'

function client(request: FastifyRequest): Client {
  return { userAgent: request.headers['user-agent'], ip: request.ip }
}

const authRoutes: FastifyPluginAsyncTypebox<{ tokens: TokenService }> = async (app, { tokens }) => {
  app.post(
    '/register/',
    {
      onRequest: app.limits.registrationsPerIp,
      schema: {
        operationId: 'register',
        summary: 'Register an account (opens a session)',
        tags: ['auth'],
        body: RegisterBody,
        response: { 201: RegisterResponse, ...errorResponses(400, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await register(app.db, tokens, request.body, client(request))),
  )

  app.post(
    '/login/',
    {
      onRequest: app.limits.loginsPerIp,
      preHandler: app.limits.loginFailures,
      onSend: app.limits.settleLoginFailure,
      schema: {
        operationId: 'login',
        summary: 'Log in with username or email (opens a session)',
        tags: ['auth'],
        body: LoginBody,
        response: {
          200: LoginResponse,
          ...errorResponses(400, 415, 429),
          ...errorResponse(401, 'No active account found with the given credentials'),
        },
      },
    },
    async (request) => logIn(app.db, tokens, request.body.username, request.body.password, client(request)),
  )

  app.post(
    '/token/refresh/',
    {
      schema: {
        operationId: 'refreshToken',
        summary: 'A new access token for a refresh token of an open session',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: RefreshResponse, ...errorResponses(400, 415), ...errorResponse(401, 'Token is invalid or expired') },
      },
    },
    async (request) => ({ access: await refresh(app.db, tokens, request.body.refresh) }),
  )

  app.post(
    '/logout/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'logout',
        summary: 'End the session of a refresh token: its refresh and access tokens stop working',
        tags: ['auth'],
        security: bearerAuth,
        body: RefreshBody,
        response: { 200: Message, ...errorResponses(400, 401, 415) },
      },
    },
    async (request) => {
      await logOut(app.db, tokens, caller(request), request.body.refresh)
      return { message: 'Successfully logged out' }
    },
  )
}

export default authRoutes
