import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { bearerAuth, errorResponses, Message, UsernameParams } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { profileFromPath, Stats, statsOf } from '../users/index.js'
import { ChangePasswordBody, DeleteAccountBody, SessionParams, SessionsResponse } from './account.schemas.js'
import {
  accountKeyOf,
  changePassword,
  deleteAccount,
  endAllSessions,
  endSession,
  listSessions,
  type GuardedCheck,
} from './account.service.js'

/** Section 4: public statistics, and the sessions, password and deletion of one's own account. */
const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Wrong passwords here count as failed logins of the account (section 6's limit), and past it nothing is checked.
  const guarded =
    (request: FastifyRequest, userId: number): GuardedCheck =>
    (check) =>
      app.limits.passwordCheck(request, accountKeyOf(userId), check)

  app.get(
    '/:username/stats/',
    {
      onRequest: app.identify,
      schema: {
        operationId: 'userStats',
        summary: "A user's statistics",
        tags: ['users'],
        params: UsernameParams,
        response: { 200: Stats, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const user = await profileFromPath(app.db, request.params.username, request.user)
      return statsOf(app.db, user.id)
    },
  )

  app.post(
    '/logout/all/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'logoutAll',
        summary: 'End every session of mine: all refresh and access tokens stop working',
        tags: ['auth'],
        security: bearerAuth,
        response: { 200: Message, ...errorResponses(401) },
      },
    },
    async (request) => {
      await endAllSessions(app.db, caller(request).id)
      return { message: 'Logged out of all sessions' }
    },
  )

  app.get(
    '/me/sessions/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'listMySessions',
        summary: 'My open sessions, newest first',
        tags: ['auth'],
        security: bearerAuth,
        response: { 200: SessionsResponse, ...errorResponses(401) },
      },
    },
    async (request) => {
      const results = await listSessions(app.db, caller(request).id, request.sessionId)
      return { count: results.length, results }
    },
  )

  app.delete(
    '/me/sessions/:id/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'endMySession',
        summary: 'End one of my sessions',
        tags: ['auth'],
        security: bearerAuth,
        params: SessionParams,
        response: { 200: Message, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      await endSession(app.db, caller(request).id, request.params.id)
      return { message: 'Session ended' }
    },
  )

  app.post(
    '/me/password/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'changeMyPassword',
        summary: 'Change my password (every other session ends; this one stays)',
        tags: ['auth'],
        security: bearerAuth,
        body: ChangePasswordBody,
        response: { 200: Message, ...errorResponses(400, 401, 415, 429) },
      },
    },
    async (request) => {
      const user = caller(request)
      await changePassword(app.db, user, request.sessionId, request.body, guarded(request, user.id))
      return { message: 'Password changed' }
    },
  )

  app.delete(
    '/me/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'deleteMyAccount',
        summary: 'Delete my account, with its sessions, follows, posts, likes, comments and shares',
        tags: ['users'],
        security: bearerAuth,
        body: DeleteAccountBody,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(400, 401, 415, 429) },
      },
    },
    async (request, reply) => {
      const { id } = caller(request)
      await deleteAccount(app.db, id, request.body.password, guarded(request, id))
      return reply.code(204).send()
    },
  )
}

export default accountRoutes
