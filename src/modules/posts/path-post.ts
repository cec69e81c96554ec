import type { FastifyRequest } from 'fastify'
import type { Db } from '../../db/connect.js'
import type { PostRef } from './posts.repository.js'
import { assertEditor, requirePost } from './posts.service.js'

// The post a request's path names, found before its body is validated (DRF's views look the object up, and
// check who may change it, before they read the body: 404 and 403 come before 400) and handed to the handler.
const found = new WeakMap<FastifyRequest, PostRef>()

/** A preValidation hook: 404 for an unknown post; with `editor`, 403 unless the caller wrote it. */
export function findPathPost(db: Db, editor?: (request: FastifyRequest) => number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    // Before validation the path's parameters are the raw strings the router matched.
    const post = await requirePost(db, (request.params as { id: string }).id)
    if (editor) assertEditor(post, editor(request))
    found.set(request, post)
  }
}

/** The post `findPathPost` found for this request. */
export function pathPost(request: FastifyRequest): PostRef {
  const post = found.get(request)
  if (post === undefined) throw new Error('pathPost: the route has no findPathPost hook')
  return post
}
