import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { FieldErrorCollector } from '../../errors.js'
import { readBatch, type Batch } from '../../lib/paging.js'
import { SerializedBodies } from '../../lib/serialized-bodies.js'
import { bearerAuth, errorResponses, Message, UsernameParams } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { profileFromPath } from '../users/index.js'
import { Follow, FollowBody, FollowList, PagingQuery, UnfollowParams, UserSummaryList } from './follows.schemas.js'
import { follow, listConnections, listFollowsMadeBy, unfollow } from './follows.service.js'

const LIST_LIMITS = { defaultSize: 100, maxSize: 1000 }

/** Anonymous follower and following pages, serialized once per cached page (see listConnections). */
const connectionBodies = new SerializedBodies()

const followsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/follow/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'followUser',
        summary: 'Follow a user',
        tags: ['follows'],
        security: bearerAuth,
        body: FollowBody,
        response: { 201: Follow, ...errorResponses(400, 401, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(await follow(app.db, caller(request), request.body.following)),
  )

  app.delete(
    '/:username/unfollow/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'unfollowUser',
        summary: 'Stop following a user',
        tags: ['follows'],
        security: bearerAuth,
        params: UnfollowParams,
        response: { 200: Message, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const follower = caller(request)
      const target = await profileFromPath(app.db, request.params.username, follower)
      return { message: await unfollow(app.db, follower.id, target) }
    },
  )

  app.get(
    '/following/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'listMyFollows',
        summary: 'The users I follow, as follow objects, newest first',
        tags: ['follows'],
        security: bearerAuth,
        querystring: PagingQuery,
        response: { 200: FollowList, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = readPage(request.query)
      const me = caller(request)
      return listFollowsMadeBy(app.db, me.id, me.following_count, page)
    },
  )

  for (const side of ['followers', 'following'] as const) {
    app.get(
      `/:username/${side}/`,
      {
        onRequest: app.identify,
        schema: {
          operationId: side === 'followers' ? 'listFollowers' : 'listFollowing',
          summary: side === 'followers' ? "A user's followers, newest first" : 'Whom a user follows, newest first',
          tags: ['follows'],
          params: UsernameParams,
          querystring: PagingQuery,
          response: { 200: UserSummaryList, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const page = readPage(request.query)
        const user = await profileFromPath(app.db, request.params.username, request.user)
        const storedCount = side === 'followers' ? user.followers_count : user.following_count
        const { count, results, shared } = await listConnections(
          app.db,
          { id: user.id, storedCount },
          side,
          request.user?.id ?? null,
          page,
        )
        if (!shared) return { count, results }
        return connectionBodies.send(reply, results, String(count), () => ({ count, results }))
      },
    )
  }
}

export default followsRoutes

function readPage(query: Record<string, unknown>): Batch {
  const errors = new FieldErrorCollector()
  const batch = readBatch(query, LIST_LIMITS, errors)
  errors.throwIfAny()
  return batch
}
