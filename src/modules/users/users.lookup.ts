import type { FastifyRequest } from 'fastify'
import { notFound } from '../../errors.js'
import { caller } from '../../plugins/auth.js'
import { findActiveUserByUsername, type UserRow } from './users.repository.js'
import { isWellFormedUsername } from './users.validation.js'

/** The user a `{username}` path segment names: case-insensitive, `me` for the caller (401 when anonymous), else 404. */
export async function userFromPath(request: FastifyRequest, username: string): Promise<UserRow> {
  if (username.toLowerCase() === 'me') return caller(request)
  if (!isWellFormedUsername(username)) throw notFound()
  const user = await findActiveUserByUsername(request.server.db, username)
  if (user === undefined) throw notFound()
  return user
}
