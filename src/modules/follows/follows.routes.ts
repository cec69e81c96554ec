import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { badRequest, FieldErrorCollector, ValidationError } from '../../errors.js'
import { foreignKeyViolation, inTransaction, uniqueViolation } from '../../db/errors.js'
import { readBatch, type Batch } from '../../lib/paging.js'
import { bearerAuth, errorResponses, Message, UsernameParams } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { findActiveUserById } from '../users/users.repository.js'
import { userFromPath } from '../users/users.lookup.js'
import { deleteFollow, findFollowView, followExists, insertFollow, listConnections, listFollowsMadeBy } from './follows.repository.js'
import { Follow, FollowBody, FollowList, PagingQuery, UserSummaryList } from './follows.schemas.js'

const LIST_LIMITS = { defaultSize: 100, maxSize: 1000 }
const MAX_ID = 2 ** 31 - 1
const ALREADY_FOLLOWING = 'You are already following this user.'

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
    async (request, reply) => {
      const follower = caller(request)
      const followingId = request.body.following
      if (followingId === follower.id) throw ValidationError.field('following', 'You cannot follow yourself.')
      const target = followingId >= 1 && followingId <= MAX_ID ? await findActiveUserById(app.db, followingId) : undefined
      if (target === undefined) throw ValidationError.field('following', `Invalid pk "${followingId}" - object does not exist.`)
      if (await followExists(app.db, follower.id, target.id)) throw ValidationError.field('following', ALREADY_FOLLOWING)

      try {
        const follow = await inTransaction(app.db, async (trx) => {
          const id = await insertFollow(trx, follower.id, target.id, new Date().toISOString())
          return findFollowView(trx, id)
        })
        return reply.code(201).send(follow)
      } catch (error) {
        // A concurrent request won the race for the same pair, or the target was deleted meanwhile.
        if (uniqueViolation(error)?.includes('follow')) throw ValidationError.field('following', ALREADY_FOLLOWING)
        if (foreignKeyViolation(error)) throw ValidationError.field('following', `Invalid pk "${followingId}" - object does not exist.`)
        throw error
      }
    },
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
        params: UsernameParams,
        response: { 200: Message, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const follower = caller(request)
      const target = await userFromPath(request, request.params.username)
      const removed = await inTransaction(app.db, (trx) => deleteFollow(trx, follower.id, target.id))
      if (!removed) throw badRequest(`You are not following ${target.username}.`)
      return { message: `Stopped following ${target.username}` }
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
      return listFollowsMadeBy(app.db, caller(request).id, page)
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
      async (request) => {
        const page = readPage(request.query)
        const user = await userFromPath(request, request.params.username)
        return listConnections(app.db, user.id, side, request.user?.id ?? null, page)
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
