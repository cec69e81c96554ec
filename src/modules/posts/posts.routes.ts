import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { ValidationError } from '../../errors.js'
import type { Batch } from '../../lib/paging.js'
import { bearerAuth, errorResponse, errorResponses } from '../../lib/schemas.js'
import { SerializedBodies } from '../../lib/serialized-bodies.js'
import { caller } from '../../plugins/auth.js'
import { envelope, readPage, readPostsQuery } from './paging.js'
import { feed } from './feed.repository.js'
import { authorsByUsername, listPosts, type PostView } from './posts.repository.js'
import {
  BatchQuery,
  CreatePostBody,
  NoContent,
  Post,
  PostParams,
  PostsList,
  PostsListQuery,
  SharePostBody,
  UpdatePostBody,
} from './posts.schemas.js'
import { findPathPost, pathPost } from './path-post.js'
import { createPost, editPost, postFromPath, removePost, requirePost } from './posts.service.js'

const TAGS = ['posts']

/** Answers for cached pages of posts (one array per viewer and page), serialized once per page. */
const pageBodies = new SerializedBodies()

/** A page of posts in the list envelope; a cached (`shared`) page's answer is serialized once. */
function answer(
  reply: FastifyReply,
  message: string,
  { total, posts, shared }: { total: number; posts: readonly PostView[]; shared: boolean },
  batch: Batch,
): FastifyReply | Record<string, unknown> {
  const body = () => envelope(message, 'posts', posts, total, batch)
  return shared ? pageBodies.send(reply, posts, `${batch.number}:${batch.size}:${total}`, body) : body()
}

const postsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      prefixTrailingSlash: 'slash',
      onRequest: app.identify,
      schema: {
        operationId: 'listPosts',
        summary: 'List and search posts, newest first (a token, if sent, personalises is_liked)',
        tags: TAGS,
        querystring: PostsListQuery,
        response: { 200: PostsList, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { batch, orderBy, descending, usernameKeys } = readPostsQuery(request.query)
      const authors = usernameKeys === undefined ? undefined : await authorsByUsername(app.db, usernameKeys)
      const page = await listPosts(app.db, {
        authors,
        search: request.query.search,
        orderBy,
        descending,
        limit: batch.limit,
        offset: batch.offset,
        viewerId: request.user?.id ?? null,
      })
      return answer(reply, 'Posts retrieved successfully', page, batch)
    },
  )

  for (const [url, operationId] of [
    ['/', 'createPost'],
    ['/create/', 'createPostAtCreate'],
  ] as const) {
    app.post(
      url,
      {
        ...(url === '/' ? { prefixTrailingSlash: 'slash' as const } : {}),
        onRequest: app.authenticate,
        schema: {
          operationId,
          summary: 'Create a post (the author is the caller)',
          tags: TAGS,
          security: bearerAuth,
          body: CreatePostBody,
          response: { 201: Post, ...errorResponses(400, 401, 413, 415) },
        },
      },
      async (request, reply) => {
        const user = caller(request)
        const { title, content, username } = request.body
        if (username !== undefined && username.toLowerCase() !== user.username.toLowerCase()) {
          throw ValidationError.field('username', 'You can only create posts as yourself.')
        }
        return reply.code(201).send(await createPost(app.db, user.id, { title, content }))
      },
    )
  }

  app.get(
    '/users/me/feed/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'myFeed',
        summary: 'My posts and those of everyone I follow, newest first',
        tags: TAGS,
        security: bearerAuth,
        querystring: BatchQuery,
        response: { 200: PostsList, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const batch = readPage(request.query)
      return answer(reply, 'Feed retrieved successfully', await feed(app.db, caller(request).id, batch), batch)
    },
  )

  app.get(
    '/:id/',
    {
      onRequest: app.identify,
      schema: {
        operationId: 'getPost',
        summary: 'A post',
        tags: TAGS,
        params: PostParams,
        response: { 200: Post, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      return postFromPath(app.db, request.params.id, request.user?.id ?? null)
    },
  )

  app.patch(
    '/:id/',
    {
      onRequest: app.authenticate,
      preValidation: findPathPost(app.db, (request) => caller(request).id),
      schema: {
        operationId: 'updatePost',
        summary: 'Edit my post (any subset of title and content)',
        tags: TAGS,
        security: bearerAuth,
        params: PostParams,
        body: UpdatePostBody,
        response: {
          200: Post,
          ...errorResponses(400, 401, 404, 413, 415),
          ...errorResponse(403, 'You can only edit your own posts.'),
        },
      },
    },
    async (request) => {
      return editPost(app.db, pathPost(request), caller(request).id, request.body)
    },
  )

  app.delete(
    '/:id/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'deletePost',
        summary: 'Delete my post (its likes, comments and shares go with it; share-posts of it stay)',
        tags: TAGS,
        security: bearerAuth,
        params: PostParams,
        response: { 204: NoContent, ...errorResponses(401, 404), ...errorResponse(403, 'You can only delete your own posts.') },
      },
    },
    async (request, reply) => {
      const post = await requirePost(app.db, request.params.id)
      await removePost(app.db, post, caller(request).id)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/:id/share-post/',
    {
      onRequest: app.authenticate,
      preValidation: findPathPost(app.db),
      schema: {
        operationId: 'sharePostAsPost',
        summary: 'Share a post as a new post of mine (post_type "share", original_post = the root original)',
        tags: TAGS,
        security: bearerAuth,
        params: PostParams,
        body: SharePostBody,
        response: { 201: Post, ...errorResponses(400, 401, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const { title, content } = request.body
      return reply.code(201).send(await createPost(app.db, caller(request).id, { title, content }, pathPost(request)))
    },
  )
}

export default postsRoutes
