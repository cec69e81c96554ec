import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { FieldErrorCollector } from '../../errors.js'
import { readBatch, type Batch } from '../../lib/paging.js'
import { SerializedBodies } from '../../lib/serialized-bodies.js'
import { bearerAuth, errorResponses, UsernameParams } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import type { OrderField } from './list.repository.js'
import type { ProfileChanges } from './users.repository.js'
import {
  ORDERINGS,
  OwnProfile,
  PublicProfile,
  Stats,
  UpdatedProfile,
  UpdateProfileBody,
  UsersListQuery,
  UsersListResponse,
} from './users.schemas.js'
import { changeProfile, profileFromPath, searchUsers, statsOf, type FollowedAmong } from './users.service.js'

export interface UsersRoutesOptions {
  /** From the follows module: `is_following` for a page of users. */
  followedAmong: FollowedAmong
}

const LIST_LIMITS = { defaultSize: 10, maxSize: 100 }

/** Anonymous list and search answers, serialized once per cached page (see searchUsers). */
const listBodies = new SerializedBodies()

const usersRoutes: FastifyPluginAsyncTypebox<UsersRoutesOptions> = async (app, { followedAmong }) => {
  app.get(
    '/',
    {
      prefixTrailingSlash: 'slash',
      onRequest: app.identify,
      schema: {
        operationId: 'listUsers',
        summary: 'List and search users (a token, if sent, personalises is_following)',
        tags: ['users'],
        querystring: UsersListQuery,
        response: { 200: UsersListResponse, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { batch, orderBy, descending } = readListQuery(request.query)
      const { total, users, shared } = await searchUsers(
        app.db,
        {
          search: request.query.search,
          firstName: request.query.first_name,
          lastName: request.query.last_name,
          orderBy,
          descending,
          limit: batch.limit,
          offset: batch.offset,
        },
        request.user?.id ?? null,
        followedAmong,
      )
      const body = () => ({
        message: 'Users retrieved successfully',
        users,
        batch_info: {
          current_batch: batch.number,
          batch_size: batch.size,
          total_users: total,
          total_batches: Math.ceil(total / batch.size),
          users_in_current_batch: users.length,
        },
      })
      if (!shared) return body()
      return listBodies.send(reply, users, `${batch.number}:${batch.size}:${total}`, body)
    },
  )

  app.get(
    '/me/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'getMyProfile',
        summary: 'My profile',
        tags: ['users'],
        security: bearerAuth,
        response: { 200: OwnProfile, ...errorResponses(401) },
      },
    },
    async (request) => caller(request),
  )

  app.patch(
    '/me/update/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'updateMyProfile',
        summary: 'Update my profile',
        tags: ['users'],
        security: bearerAuth,
        body: UpdateProfileBody,
        response: { 200: UpdatedProfile, ...errorResponses(400, 401, 415) },
      },
    },
    async (request) => {
      const changes: ProfileChanges = { ...request.body }
      if (changes.avatar === '') changes.avatar = null
      return changeProfile(app.db, caller(request).id, changes)
    },
  )

  app.get(
    '/me/stats/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'getMyStats',
        summary: 'My statistics',
        tags: ['users'],
        security: bearerAuth,
        response: { 200: Stats, ...errorResponses(401) },
      },
    },
    async (request) => statsOf(app.db, caller(request).id),
  )

  app.get(
    '/:username/',
    {
      onRequest: app.identify,
      schema: {
        operationId: 'getUser',
        summary: "A user's public profile",
        tags: ['users'],
        params: UsernameParams,
        response: { 200: PublicProfile, ...errorResponses(401, 404) },
      },
    },
    async (request) => profileFromPath(app.db, request.params.username, request.user),
  )
}

export default usersRoutes

function readListQuery(query: { ordering?: string; batch_size?: string; batch_number?: string }): {
  batch: Batch
  orderBy: OrderField
  descending: boolean
} {
  const errors = new FieldErrorCollector()
  const batch = readBatch(query, LIST_LIMITS, errors)
  const ordering = query.ordering ?? 'username'
  const descending = ordering.startsWith('-')
  const field = descending ? ordering.slice(1) : ordering
  if (!(ORDERINGS as readonly string[]).includes(field)) {
    errors.add('ordering', `Select a valid ordering: ${ORDERINGS.join(', ')}, optionally prefixed with "-".`)
  }
  errors.throwIfAny()
  return { batch, orderBy: field as OrderField, descending }
}
