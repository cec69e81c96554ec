import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { bearerAuth, errorResponse, errorResponses, Message } from '../../lib/schemas.js'
import { caller } from '../../plugins/auth.js'
import { envelope, readPage } from './paging.js'
import { listComments, listReactions } from './reactions.repository.js'
import {
  BatchQuery,
  Comment,
  CommentBody,
  CommentParams,
  CommentsList,
  LikesList,
  NoContent,
  PostParams,
  SharesList,
} from './posts.schemas.js'
import { findPathPost, pathPost } from './path-post.js'
import { requirePost } from './posts.service.js'
import { addComment, react, removeComment, unreact } from './reactions.service.js'

const TAGS = ['posts']

const KINDS = [
  {
    table: 'likes',
    verb: 'like',
    undo: 'unlike',
    Thing: 'Like',
    list: LikesList,
    created: 'Post liked successfully',
    existed: 'Post already liked',
  },
  {
    table: 'shares',
    verb: 'share',
    undo: 'unshare',
    Thing: 'Share',
    list: SharesList,
    created: 'Post shared successfully',
    existed: 'Post already shared',
  },
] as const

/** Likes, shares and comments of a post. */
const reactionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const kind of KINDS) {
    app.post(
      `/:id/${kind.verb}/`,
      {
        onRequest: app.authenticate,
        schema: {
          operationId: `${kind.verb}Post`,
          summary: `${kind.Thing} a post (201 the first time, 200 when already done)`,
          tags: TAGS,
          security: bearerAuth,
          params: PostParams,
          response: { 201: Message, 200: Message, ...errorResponses(401, 404) },
        },
      },
      async (request, reply) => {
        const post = await requirePost(app.db, request.params.id)
        const created = await react(app.db, kind.table, post, caller(request).id)
        return reply.code(created ? 201 : 200).send({ message: created ? kind.created : kind.existed })
      },
    )

    app.delete(
      `/:id/${kind.undo}/`,
      {
        onRequest: app.authenticate,
        schema: {
          operationId: `${kind.undo}Post`,
          summary: `Take back my ${kind.verb} of a post`,
          tags: TAGS,
          security: bearerAuth,
          params: PostParams,
          response: { 204: NoContent, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const post = await requirePost(app.db, request.params.id)
        await unreact(app.db, kind.table, post, caller(request).id)
        return reply.code(204).send(null)
      },
    )

    app.get(
      `/:id/${kind.table}/`,
      {
        onRequest: app.identify,
        schema: {
          operationId: `list${kind.Thing}s`,
          summary: `A post's ${kind.table}, newest first`,
          tags: TAGS,
          params: PostParams,
          querystring: BatchQuery,
          response: { 200: kind.list, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const batch = readPage(request.query)
        const post = await requirePost(app.db, request.params.id)
        const total = kind.table === 'likes' ? post.likes_count : post.shares_count
        const items = batch.offset >= total ? [] : await listReactions(app.db, kind.table, post.id, batch)
        return envelope(`${kind.Thing}s retrieved successfully`, kind.table, items, total, batch)
      },
    )
  }

  app.post(
    '/:id/comment/',
    {
      onRequest: app.authenticate,
      preValidation: findPathPost(app.db),
      schema: {
        operationId: 'commentPost',
        summary: 'Comment on a post',
        tags: TAGS,
        security: bearerAuth,
        params: PostParams,
        body: CommentBody,
        response: { 201: Comment, ...errorResponses(400, 401, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      return reply.code(201).send(await addComment(app.db, pathPost(request), caller(request).id, request.body.content))
    },
  )

  app.get(
    '/:id/comments/',
    {
      onRequest: app.identify,
      schema: {
        operationId: 'listComments',
        summary: "A post's comments, oldest first",
        tags: TAGS,
        params: PostParams,
        querystring: BatchQuery,
        response: { 200: CommentsList, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const batch = readPage(request.query)
      const post = await requirePost(app.db, request.params.id)
      const items = batch.offset >= post.comments_count ? [] : await listComments(app.db, post.id, batch)
      return envelope('Comments retrieved successfully', 'comments', items, post.comments_count, batch)
    },
  )

  app.delete(
    '/:id/comments/:comment_id/',
    {
      onRequest: app.authenticate,
      schema: {
        operationId: 'deleteComment',
        summary: "Delete a comment (the comment's author or the post's author)",
        tags: TAGS,
        security: bearerAuth,
        params: CommentParams,
        response: {
          204: NoContent,
          ...errorResponses(401, 404),
          ...errorResponse(403, 'You can only delete your own comments or comments on your posts.'),
        },
      },
    },
    async (request, reply) => {
      const post = await requirePost(app.db, request.params.id)
      await removeComment(app.db, post, request.params.comment_id, caller(request).id)
      return reply.code(204).send(null)
    },
  )
}

export default reactionsRoutes
