import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BEARER_CHALLENGE,
  keys,
  PUBLIC_PROFILE_KEYS,
  NOT_PROVIDED,
  PASSWORD,
  register,
  TOKEN_NOT_VALID,
  uniqueName,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const LOGIN = `${BASE}/login/`
const REFRESH = `${BASE}/token/refresh/`
const LOGOUT = `${BASE}/logout/`
const FOLLOW = `${BASE}/follow/`
const ME = `${BASE}/me/`
const UPDATE = `${BASE}/me/update/`

describe('authentication headers', () => {
  const protectedRoutes = [
    ['GET', ME],
    ['GET', `${BASE}/me/stats/`],
    ['GET', `${BASE}/following/`],
    ['GET', `${BASE}/me/followers/`],
    ['PATCH', UPDATE],
    ['POST', LOGOUT],
    ['POST', FOLLOW],
    ['DELETE', `${BASE}/alice/unfollow/`],
  ] as const

  for (const [method, url] of protectedRoutes) {
    it(`${method} ${url} without credentials → 401 "not provided" with WWW-Authenticate`, async () => {
      const response = await ctx.app.inject({ method, url })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), NOT_PROVIDED)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })

    it(`${method} ${url} with Authorization: Basic → 401 "not provided"`, async () => {
      const response = await ctx.app.inject({ method, url, headers: { authorization: 'Basic xyz' } })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), NOT_PROVIDED)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })
  }

  for (const header of ['Bearer', 'Bearer a b', 'Bearer  ', 'bearer not.a.jwt', 'Bearer a.b.c']) {
    it(`Authorization: ${JSON.stringify(header)} → 401 token_not_valid`, async () => {
      const response = await ctx.app.inject({ method: 'GET', url: ME, headers: { authorization: header } })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), TOKEN_NOT_VALID)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })
  }

  it('reads a valid token after spaces or tabs, and nothing with more after it (as DRF splits the header)', async () => {
    const { access } = await register(ctx.app)
    const status = async (authorization: string) =>
      (await ctx.app.inject({ method: 'GET', url: ME, headers: { authorization } })).statusCode
    assert.equal(await status(`Bearer ${access}`), 200)
    assert.equal(await status(`Bearer\t${access}`), 200)
    assert.equal(await status(`Bearer  ${access}`), 200)
    assert.equal(await status(`Bearer \t${access}`), 200)
    for (const header of [`Bearer ${access} x`, `Bearer ${access}\tx`, `Bearer ${access}\u00a0`, `Bearer ${access}.`]) {
      assert.equal(await status(header), 401, JSON.stringify(header))
    }
  })

  it('every 401 carries WWW-Authenticate, bad logins and bad refresh tokens included', async () => {
    const responses = [
      await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: uniqueName('nobody'), password: PASSWORD } }),
      await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: 'garbage' } }),
      await ctx.app.inject({ method: 'GET', url: `${BASE}/`, headers: { authorization: 'Bearer garbage' } }),
      await ctx.app.inject({ method: 'GET', url: `${BASE}/me/followers/` }),
    ]
    for (const response of responses) {
      assert.equal(response.statusCode, 401, response.body)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
      assert.equal(typeof response.json().detail, 'string')
    }
  })
})

describe('emails stay private', () => {
  it('never appear in the users list, public profiles or follower lists', async () => {
    const email = `${uniqueName('secret')}@private-mail.example`
    const owner = await register(ctx.app, { email, first_name: 'Private' })
    const fan = await register(ctx.app)
    assert.equal(
      (await ctx.app.inject({ method: 'POST', url: FOLLOW, headers: owner.auth, payload: { following: fan.id } })).statusCode,
      201,
    )
    assert.equal(
      (await ctx.app.inject({ method: 'POST', url: FOLLOW, headers: fan.auth, payload: { following: owner.id } })).statusCode,
      201,
    )

    const list = await ctx.app.inject({ method: 'GET', url: `${BASE}/?search=${encodeURIComponent(owner.username)}` })
    assert.equal(list.statusCode, 200)
    const users = list.json().users as Record<string, unknown>[]
    assert.equal(users.length, 1)
    assert.deepEqual(keys(users[0]), ['avatar', 'first_name', 'id', 'is_following', 'last_name', 'username'])

    const everything = await ctx.app.inject({ method: 'GET', url: `${BASE}/?batch_size=100`, headers: fan.auth })
    assert.equal(everything.statusCode, 200)
    for (const user of everything.json().users as Record<string, unknown>[]) assert.ok(!('email' in user))

    const profile = await ctx.app.inject({ method: 'GET', url: `${BASE}/${owner.username}/`, headers: fan.auth })
    assert.equal(profile.statusCode, 200)
    assert.ok(!('email' in profile.json()))
    assert.deepEqual(keys(profile.json()), PUBLIC_PROFILE_KEYS)

    const followers = await ctx.app.inject({ method: 'GET', url: `${BASE}/${fan.username}/followers/` })
    const following = await ctx.app.inject({ method: 'GET', url: `${BASE}/${fan.username}/following/` })
    for (const response of [list, everything, profile, followers, following]) {
      assert.equal(response.statusCode, 200)
      assert.ok(!response.body.toLowerCase().includes(email.toLowerCase()), `email leaked: ${response.body.slice(0, 200)}`)
      assert.ok(!response.body.includes('"email"'))
    }
  })
})
