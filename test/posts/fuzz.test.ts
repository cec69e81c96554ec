import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { register, useTestApp, type Account } from '../helper.js'
import { newPost } from './posts.helpers.js'

// Malformed input on every posts route: never a 5xx, every error a DRF-style JSON object.
const ctx = useTestApp()
const RUNS = Number(process.env.FUZZ_RUNS ?? 150)

const ROUTES: [string, string][] = [
  ['GET', '/careers/'],
  ['POST', '/careers/'],
  ['POST', '/careers/create/'],
  ['GET', '/careers/{id}/'],
  ['PATCH', '/careers/{id}/'],
  ['DELETE', '/careers/{id}/'],
  ['POST', '/careers/{id}/like/'],
  ['DELETE', '/careers/{id}/unlike/'],
  ['GET', '/careers/{id}/likes/'],
  ['POST', '/careers/{id}/comment/'],
  ['GET', '/careers/{id}/comments/'],
  ['DELETE', '/careers/{id}/comments/{cid}/'],
  ['POST', '/careers/{id}/share/'],
  ['DELETE', '/careers/{id}/unshare/'],
  ['GET', '/careers/{id}/shares/'],
  ['POST', '/careers/{id}/share-post/'],
  ['GET', '/careers/users/me/feed/'],
]

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('%', '_', '\\', '\u0000', '"', "'", '%00', 'a'.repeat(6000)),
)
const segment = fc.oneof(
  fc.constantFrom('1', '0', '-1', '2147483648', '1e3', '99999999999999999999', 'abc', '%ZZ', '%00', ' '),
  fc.nat().map(String),
  fc.string(),
)
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object())
const body = fc.oneof(
  fc.dictionary(fc.constantFrom('title', 'content', 'username', 'likes_count', '__proto__', 'constructor', 'id'), value),
  fc.jsonValue().map((json) => JSON.stringify(json)),
  fc.string(),
)
const query = fc.dictionary(fc.constantFrom('search', 'username', 'ordering', 'batch_size', 'batch_number', 'x'), text)

describe('fuzz: posts routes', () => {
  it('never answer a 5xx to malformed ids, bodies, query strings or tokens', async () => {
    const users: Account[] = [await register(ctx.app)]
    const post = await newPost(ctx.app, users[0]!)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(segment, fc.constant(String(post.id))),
        segment,
        body,
        query,
        fc.constantFrom('token', 'none', 'broken'),
        async ([method, template], id, cid, payload, params, auth) => {
          const search = new URLSearchParams(params as Record<string, string>).toString()
          const url = `${template.replace('{id}', encodeURIComponent(id)).replace('{cid}', encodeURIComponent(cid))}?${search}`
          const headers: Record<string, string> = {}
          if (auth === 'token') headers.authorization = users[0]!.auth.authorization
          if (auth === 'broken') headers.authorization = 'Bearer not.a.jwt'
          const hasBody = method === 'POST' || method === 'PATCH'
          if (hasBody) headers['content-type'] = 'application/json'
          const response = await ctx.app.inject({
            method: method as 'GET',
            url,
            headers,
            ...(hasBody ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
          })
          const where = `${method} ${url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`
          assert.ok(response.statusCode < 500, where)
          if (response.statusCode >= 400) {
            const json = JSON.parse(response.body) as unknown
            assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json) && Object.keys(json).length > 0, where)
          }
        },
      ),
      { numRuns: RUNS },
    )
  })
})
