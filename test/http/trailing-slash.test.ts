import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { JSON_UTF8, keys, PASSWORD, register, registration, useTestApp, type Account } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const REGISTER = `${BASE}/register/`
const LOGIN = `${BASE}/login/`
const REFRESH = `${BASE}/token/refresh/`
const LOGOUT = `${BASE}/logout/`
const FOLLOW = `${BASE}/follow/`
const UPDATE = `${BASE}/me/update/`

function assertNoRedirect(response: LightMyRequestResponse, label: string): void {
  assert.ok(![301, 302, 307, 308].includes(response.statusCode), `${label} redirected with ${response.statusCode}`)
  assert.equal(response.headers.location, undefined, label)
}

/** Both spellings of a seed path: as the seed writes it, and without the final slash. */
function bothSpellings(path: string): [string, string][] {
  return [
    ['with the trailing slash', path],
    ['without the trailing slash', path.slice(0, -1)],
  ]
}

describe('trailing slash: every seed path works with and without it, never redirecting', () => {
  let alice: Account
  let bob: Account

  before(async () => {
    alice = await register(ctx.app)
    bob = await register(ctx.app)
  })

  for (const [label, suffix] of [
    ['GET /careers/users/', '/'],
    ['GET /careers/users/me/', '/me/'],
    ['GET /careers/users/me/stats/', '/me/stats/'],
    ['GET /careers/users/following/', '/following/'],
  ] as const) {
    for (const [spelling, path] of bothSpellings(`${BASE}${suffix}`)) {
      it(`${label} ${spelling}`, async () => {
        const response = await ctx.app.inject({ method: 'GET', url: path, headers: alice.auth })
        assertNoRedirect(response, path)
        assert.equal(response.statusCode, 200, `${path}: ${response.body}`)
        assert.equal(response.headers['content-type'], JSON_UTF8)
      })
    }
  }

  for (const [label, suffix] of [
    ['GET /careers/users/{username}/', '/'],
    ['GET /careers/users/{username}/followers/', '/followers/'],
    ['GET /careers/users/{username}/following/', '/following/'],
  ] as const) {
    for (const [spelling, trailing] of [
      ['with the trailing slash', true],
      ['without the trailing slash', false],
    ] as const) {
      it(`${label} ${spelling}`, async () => {
        const full = `${BASE}/${bob.username}${suffix}`
        const path = trailing ? full : full.slice(0, -1)
        const response = await ctx.app.inject({ method: 'GET', url: path })
        assertNoRedirect(response, path)
        assert.equal(response.statusCode, 200, `${path}: ${response.body}`)
      })
    }
  }

  for (const [spelling, path] of bothSpellings(REGISTER)) {
    it(`POST register ${spelling}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: path, payload: registration() })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 201, response.body)
      assert.deepEqual(keys(response.json()), ['access', 'refresh', 'user'])
    })
  }

  for (const [spelling, path] of bothSpellings(LOGIN)) {
    it(`POST login ${spelling}`, async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: path,
        payload: { username: alice.username, password: PASSWORD },
      })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(keys(response.json()), ['access', 'refresh', 'user'])
    })
  }

  for (const [spelling, path] of bothSpellings(REFRESH)) {
    it(`POST token/refresh ${spelling}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: path, payload: { refresh: alice.refresh } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(keys(response.json()), ['access'])
    })
  }

  for (const [spelling, path] of bothSpellings(LOGOUT)) {
    it(`POST logout ${spelling}`, async () => {
      const session = await register(ctx.app)
      const response = await ctx.app.inject({
        method: 'POST',
        url: path,
        headers: session.auth,
        payload: { refresh: session.refresh },
      })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), { message: 'Successfully logged out' })
    })
  }

  for (const [spelling, path] of bothSpellings(FOLLOW)) {
    it(`POST follow ${spelling}`, async () => {
      const target = await register(ctx.app)
      const response = await ctx.app.inject({ method: 'POST', url: path, headers: alice.auth, payload: { following: target.id } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json().following, target.id)
    })
  }

  for (const [spelling, path] of bothSpellings(UPDATE)) {
    it(`PATCH me/update ${spelling}`, async () => {
      const response = await ctx.app.inject({ method: 'PATCH', url: path, headers: alice.auth, payload: { bio: spelling } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().bio, spelling)
    })
  }

  for (const [spelling, trailing] of [
    ['with the trailing slash', true],
    ['without the trailing slash', false],
  ] as const) {
    it(`DELETE {username}/unfollow ${spelling}`, async () => {
      const target = await register(ctx.app)
      const follow = await ctx.app.inject({ method: 'POST', url: FOLLOW, headers: alice.auth, payload: { following: target.id } })
      assert.equal(follow.statusCode, 201)
      const full = `${BASE}/${target.username}/unfollow/`
      const path = trailing ? full : full.slice(0, -1)
      const response = await ctx.app.inject({ method: 'DELETE', url: path, headers: alice.auth })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), { message: `Stopped following ${target.username}` })
    })
  }
})
