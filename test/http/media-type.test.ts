import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  assertDetailOnly,
  injectRaw,
  JSON_UTF8,
  keys,
  PASSWORD,
  register,
  registration,
  useTestApp,
  type Account,
} from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const REGISTER = `${BASE}/register/`
const LOGIN = `${BASE}/login/`
const REFRESH = `${BASE}/token/refresh/`
const LOGOUT = `${BASE}/logout/`
const FOLLOW = `${BASE}/follow/`
const ME = `${BASE}/me/`
const UPDATE = `${BASE}/me/update/`

describe('request media type', () => {
  let account: Account

  before(async () => {
    account = await register(ctx.app)
  })

  const bodyRoutes = [
    ['POST', REGISTER],
    ['POST', LOGIN],
    ['PATCH', UPDATE],
  ] as const

  for (const [method, url] of bodyRoutes) {
    for (const [contentType, body] of [
      ['text/plain', '{"username": "alice", "password": "password123"}'],
      ['application/x-www-form-urlencoded', 'username=alice&password=password123'],
      [
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--xyz--\r\n',
      ],
      [undefined, '{"username": "alice", "password": "password123"}'],
    ] as const) {
      it(`${method} ${url} with ${contentType ?? 'no content type'} → 415`, async () => {
        const response = await injectRaw(ctx.app, method, url, body, contentType, account.auth)
        assert.equal(response.statusCode, 415, response.body)
        assertDetailOnly(response)
        assert.equal(response.headers['content-type'], JSON_UTF8)
      })
    }
  }

  const jsonRoutes = [
    ['POST', REGISTER],
    ['POST', LOGIN],
    ['POST', REFRESH],
    ['POST', LOGOUT],
    ['POST', FOLLOW],
    ['PATCH', UPDATE],
  ] as const

  for (const [method, url] of jsonRoutes) {
    for (const body of ['{bad', '{"a":1,}', '{"username": "alice", "pass', '{"a":1}}', "{'a': 1}"]) {
      it(`${method} ${url} with invalid JSON ${JSON.stringify(body)} → 400 {detail}`, async () => {
        const response = await injectRaw(ctx.app, method, url, body, 'application/json', account.auth)
        assert.equal(response.statusCode, 400, response.body)
        assertDetailOnly(response)
      })
    }
    for (const body of ['[]', '[{"username": "alice"}]', '"str"', '1', 'null', 'true']) {
      it(`${method} ${url} with the non-object JSON ${body} → 400 {detail}`, async () => {
        const response = await injectRaw(ctx.app, method, url, body, 'application/json', account.auth)
        assert.equal(response.statusCode, 400, response.body)
        assertDetailOnly(response)
      })
    }
  }

  it('accepts application/json; charset=utf-8 and answers application/json; charset=utf-8', async () => {
    const body = JSON.stringify({ username: account.username, password: PASSWORD })
    const response = await injectRaw(ctx.app, 'POST', LOGIN, body, 'application/json; charset=utf-8')
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.headers['content-type'], JSON_UTF8)
  })

  it('accepts application/json; charset=utf-8 on registration and profile updates', async () => {
    const created = await injectRaw(ctx.app, 'POST', REGISTER, JSON.stringify(registration()), 'application/json; charset=utf-8')
    assert.equal(created.statusCode, 201, created.body)
    const updated = await injectRaw(
      ctx.app,
      'PATCH',
      UPDATE,
      JSON.stringify({ first_name: 'Ütf' }),
      'application/json; charset=utf-8',
      account.auth,
    )
    assert.equal(updated.statusCode, 200, updated.body)
    assert.equal(updated.json().first_name, 'Ütf')
  })

  it('answers JSON with charset on success, field errors, 401, 404 and 405 alike', async () => {
    const responses = [
      await ctx.app.inject({ method: 'GET', url: `${BASE}/` }),
      await ctx.app.inject({ method: 'POST', url: REGISTER, payload: {} }),
      await ctx.app.inject({ method: 'GET', url: ME }),
      await ctx.app.inject({ method: 'GET', url: '/careers/nope/' }),
      await ctx.app.inject({ method: 'PUT', url: UPDATE }),
      await ctx.app.inject({ method: 'GET', url: '/health' }),
    ]
    for (const response of responses) assert.equal(response.headers['content-type'], JSON_UTF8, String(response.statusCode))
  })
})

describe('body size', () => {
  let account: Account

  before(async () => {
    account = await register(ctx.app)
  })

  it('refuses a registration over 64 KiB with 413 {detail}', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ bio: 'x'.repeat(70 * 1024) }),
    })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('refuses a profile update over 64 KiB with 413 {detail}', async () => {
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { bio: 'x'.repeat(70 * 1024) },
    })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('refuses an oversized login body with 413 too', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: LOGIN,
      payload: { username: 'x'.repeat(70 * 1024), password: PASSWORD },
    })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('reads a registration just under 64 KiB (400 on the too-long bio, not 413)', async () => {
    const body = JSON.stringify(registration({ bio: 'x'.repeat(64 * 1024 - 300) }))
    assert.ok(Buffer.byteLength(body) < 64 * 1024)
    const response = await injectRaw(ctx.app, 'POST', REGISTER, body, 'application/json')
    assert.equal(response.statusCode, 400, response.body.slice(0, 200))
    assert.deepEqual(keys(response.json()), ['bio'])
  })

  it('reads a profile update just under 64 KiB (400 on the too-long bio, not 413)', async () => {
    const body = JSON.stringify({ bio: 'x'.repeat(64 * 1024 - 100) })
    assert.ok(Buffer.byteLength(body) < 64 * 1024)
    const response = await injectRaw(ctx.app, 'PATCH', UPDATE, body, 'application/json', account.auth)
    assert.equal(response.statusCode, 400, response.body.slice(0, 200))
    assert.deepEqual(keys(response.json()), ['bio'])
  })

  it('counts bytes, not characters: 25,000 three-byte characters are over 64 KiB', async () => {
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { bio: '€'.repeat(25_000) },
    })
    assert.equal(response.statusCode, 413, response.body.slice(0, 200))
    assertDetailOnly(response)
  })
})
