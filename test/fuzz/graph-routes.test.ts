import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HTTPMethods } from 'fastify'
import fc from 'fast-check'
import {
  anyJsonString,
  authenticated,
  authHeaders,
  bodyFor,
  checked,
  contentType,
  fuzzRoute,
  numberLiteral,
  queryString,
  segmentOf,
  useFuzzCast,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('fuzz: no input makes any route answer 5xx', () => {
  const cast = useFuzzCast(ctx)

  it('POST follow/', async () => {
    const ids = [cast.main.id, cast.other.id, cast.target.id].map(String)
    const body = bodyFor({
      following: fc.oneof(fc.constantFrom(...ids, '0', '-1', `${cast.target.id}.0`, `"${cast.target.id}"`), numberLiteral),
    })
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, authenticated(cast)), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/follow/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('DELETE {username}/unfollow/', async () => {
    const segment = segmentOf([cast.target.username, cast.target.username.toUpperCase(), cast.main.username, cast.other.username])
    const body = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 4 },
      { arbitrary: bodyFor({ username: anyJsonString() }), weight: 1 },
    )
    await fuzzRoute(ctx.app, fc.tuple(segment, authenticated(cast), body, fc.boolean()), ([name, headers, payload, slash]) => ({
      method: 'DELETE',
      url: `${BASE}/${name}/unfollow${slash ? '/' : ''}`,
      headers,
      body: payload,
      contentType: 'application/json',
    }))
  })

  it('any method on any path under /careers/users/', async () => {
    const method = fc.constantFrom<HTTPMethods>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
    const segments = fc.array(segmentOf([cast.main.username, cast.target.username]), { minLength: 0, maxLength: 4 })
    const body = fc.option(bodyFor({ following: numberLiteral, refresh: anyJsonString(), bio: anyJsonString() }), {
      nil: undefined,
    })
    await fuzzRoute(
      ctx.app,
      fc.tuple(method, segments, queryString, authHeaders(cast), body),
      ([verb, parts, query, headers, payload]) => ({
        method: verb,
        url: `${BASE}/${parts.join('/')}${query}`,
        headers,
        body: payload,
        contentType: 'application/json',
      }),
    )
  })

  it('leaves the counts of the accounts it touched exact', async () => {
    assert.equal(
      (await checked(ctx.app, { method: 'GET', url: `${BASE}/me/`, headers: cast.main.auth })).statusCode,
      200,
      "main's session survived",
    )
    for (const account of [cast.main, cast.other, cast.target]) {
      const profile = (await checked(ctx.app, { method: 'GET', url: `${BASE}/${account.username}/` })).json()
      const followers = (
        await checked(ctx.app, { method: 'GET', url: `${BASE}/${account.username}/followers/?batch_size=1000` })
      ).json()
      const following = (
        await checked(ctx.app, { method: 'GET', url: `${BASE}/${account.username}/following/?batch_size=1000` })
      ).json()
      assert.equal(profile.followers_count, followers.count, `${account.username} followers_count`)
      assert.equal(profile.following_count, following.count, `${account.username} following_count`)
      assert.equal(followers.results.length, followers.count)
      assert.equal(following.results.length, following.count)
    }
    const me = (await checked(ctx.app, { method: 'GET', url: `${BASE}/me/`, headers: cast.main.auth })).json()
    const stats = (await checked(ctx.app, { method: 'GET', url: `${BASE}/me/stats/`, headers: cast.main.auth })).json()
    const mine = (
      await checked(ctx.app, { method: 'GET', url: `${BASE}/following/?batch_size=1000`, headers: cast.main.auth })
    ).json()
    assert.equal(stats.followers_count, me.followers_count)
    assert.equal(stats.following_count, me.following_count)
    assert.equal(mine.count, me.following_count)
  })
})
