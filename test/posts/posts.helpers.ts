import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../../src/db/connect.js'
import { keys, type Account } from '../helper.js'

export const POST_KEYS = [
  'comments_count',
  'content',
  'created_datetime',
  'id',
  'is_liked',
  'likes_count',
  'original_post',
  'post_type',
  'shares_count',
  'title',
  'username',
]
export const REACTION_KEYS = ['created_datetime', 'id', 'post', 'user', 'username']
export const COMMENT_KEYS = ['content', 'created_datetime', 'id', 'post', 'user', 'username']
export const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Call {
  status: number
  body: Json
  raw: LightMyRequestResponse
}

/** One request through `inject`; `who` adds the bearer token. */
export async function call(app: FastifyInstance, method: string, url: string, who?: Account, payload?: unknown): Promise<Call> {
  const raw = await app.inject({
    method: method as 'GET',
    url,
    headers: who ? who.auth : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  })
  let body: Json = {}
  try {
    body = raw.body === '' ? {} : (JSON.parse(raw.body) as Json)
  } catch {
    // Non-JSON bodies are asserted through `raw`.
  }
  return { status: raw.statusCode, body, raw }
}

export async function newPost(app: FastifyInstance, who: Account, fields: Json = {}): Promise<Json> {
  const response = await call(app, 'POST', '/careers/create/', who, { title: 'A title', content: 'Some content', ...fields })
  assert.equal(response.status, 201, response.raw.body)
  return response.body
}

export async function getPost(app: FastifyInstance, id: number, who?: Account): Promise<Json> {
  const response = await call(app, 'GET', `/careers/${id}/`, who)
  assert.equal(response.status, 200, response.raw.body)
  return response.body
}

export async function stats(app: FastifyInstance, who: Account): Promise<Json> {
  const response = await call(app, 'GET', '/careers/users/me/stats/', who)
  assert.equal(response.status, 200, response.raw.body)
  return response.body
}

export function assertPostShape(post: Json): void {
  assert.deepEqual(keys(post), POST_KEYS)
  assert.match(post.created_datetime, ISO_Z)
  assert.equal(typeof post.is_liked, 'boolean')
}

/** Every stored counter compared with a COUNT of the rows it stands for; returns the rows that disagree. */
export async function counterMismatches(db: Db): Promise<unknown[]> {
  const posts = await sql<Json>`
    select p.id, p.likes_count, p.comments_count, p.shares_count,
      (select count(*) from likes l where l.post_id = p.id) as likes,
      (select count(*) from comments c where c.post_id = p.id) as comments,
      (select count(*) from shares s where s.post_id = p.id) as shares
    from posts p`.execute(db)
  const users = await sql<Json>`
    select u.id, u.posts_count, u.likes_received, u.comments_received,
      (select count(*) from posts p where p.author_id = u.id) as posts,
      (select count(*) from likes l join posts p on p.id = l.post_id where p.author_id = u.id) as likes,
      (select count(*) from comments c join posts p on p.id = c.post_id where p.author_id = u.id) as comments
    from users u`.execute(db)
  return [
    ...posts.rows.filter(
      (r) => r.likes_count !== Number(r.likes) || r.comments_count !== Number(r.comments) || r.shares_count !== Number(r.shares),
    ),
    ...users.rows.filter(
      (r) =>
        r.posts_count !== Number(r.posts) || r.likes_received !== Number(r.likes) || r.comments_received !== Number(r.comments),
    ),
  ]
}

export async function assertCountersMatchRows(db: Db): Promise<void> {
  assert.deepEqual(await counterMismatches(db), [])
}
