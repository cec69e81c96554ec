import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { assertDetailOnly, injectRaw, NOT_FOUND, register, registration, useTestApp, type Account } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const REGISTER = `${BASE}/register/`
const LOGIN = `${BASE}/login/`
const FOLLOW = `${BASE}/follow/`
const ME = `${BASE}/me/`
const UPDATE = `${BASE}/me/update/`

describe('hostile input', () => {
  let account: Account

  before(async () => {
    account = await register(ctx.app)
  })

  for (const [method, url, body] of [
    [
      'POST',
      REGISTER,
      '{"__proto__": {"x": 1}, "username": "protouser", "email": "proto@example.com", "password": "password123", "password_confirm": "password123"}',
    ],
    ['POST', LOGIN, '{"__proto__": {"x": 1}, "username": "alice", "password": "password123"}'],
    ['PATCH', UPDATE, '{"__proto__": {"x": 1}, "bio": "b"}'],
    ['POST', FOLLOW, '{"__proto__": {"x": 1}, "following": 1}'],
    ['PATCH', UPDATE, '{"constructor": {"prototype": {"x": 1}}, "bio": "b"}'],
    ['POST', REGISTER, '{"username": {"__proto__": {"x": 1}}}'],
  ] as const) {
    it(`${method} ${url} with a prototype-poisoning body → 4xx, not polluted`, async () => {
      const response = await injectRaw(ctx.app, method, url, body, 'application/json', account.auth)
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`)
      const json = response.json()
      assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json))
      assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is untouched')
    })
  }

  for (const key of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`PATCH me/update with the Object.prototype name "${key}" as a key → 400 on that key, nothing changed`, async () => {
      const before = (await ctx.app.inject({ method: 'GET', url: ME, headers: account.auth })).json()
      const response = await injectRaw(
        ctx.app,
        'PATCH',
        UPDATE,
        `{"${key}": 1, "bio": "changed by ${key}"}`,
        'application/json',
        account.auth,
      )
      assert.equal(response.statusCode, 400, response.body)
      assert.deepEqual(response.json(), { [key]: ['This field cannot be changed here.'] })
      const after = (await ctx.app.inject({ method: 'GET', url: ME, headers: account.auth })).json()
      assert.equal(after.bio, before.bio)
    })
  }

  it('registration ignores Object.prototype names among its keys', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: { ...registration(), toString: 'x', valueOf: 1, hasOwnProperty: null },
    })
    assert.equal(response.statusCode, 201, response.body)
  })

  it('a proto-poisoning registration does not create the account', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/protouser/` })
    assert.equal(response.statusCode, 404)
  })

  for (const url of [`${BASE}/%E0%A4%A/`, `${BASE}/%/`, `${BASE}/%zz/followers/`, `${BASE}/%E0%A4%A/unfollow/`]) {
    it(`malformed percent-encoding ${url} → 4xx {detail}`, async () => {
      const response = await ctx.app.inject({ method: url.endsWith('unfollow/') ? 'DELETE' : 'GET', url, headers: account.auth })
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`)
      assertDetailOnly(response)
    })
  }

  for (const length of [151, 300, 499, 501, 2000]) {
    it(`a username path segment of ${length} characters → 404`, async () => {
      for (const suffix of ['/', '/followers/', '/following/']) {
        const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/${'a'.repeat(length)}${suffix}` })
        assert.equal(response.statusCode, 404, `${suffix}: ${response.body}`)
        assert.deepEqual(response.json(), NOT_FOUND)
      }
    })
  }

  for (const segment of [
    '%00',
    'a%00b',
    '..',
    '%2e%2e',
    'a%2Fb',
    '%C3%A9t%C3%A9',
    'a%20b',
    '%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80',
  ]) {
    it(`an odd username segment ${segment} → 4xx, never 5xx`, async () => {
      const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/${segment}/` })
      // `..` resolves to /careers/, the posts list.
      const resolvesToPosts = segment === '..' || segment === '%2e%2e'
      assert.ok(
        response.statusCode < 500 && (resolvesToPosts || response.statusCode >= 400),
        `${response.statusCode} ${response.body}`,
      )
      const json = response.json()
      assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json), response.body)
      assert.ok(Object.keys(json).length > 0)
    })
  }
})
