import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  assert401,
  base64url,
  decodeJwt,
  getMe,
  JWT_SECRET,
  keys,
  NOT_PROVIDED,
  register,
  setActive,
  signJwt,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()
const REFRESH = '/careers/users/token/refresh/'
const ME = '/careers/users/me/'

describe('tokens', () => {
  it('carry simplejwt claims plus the session id, HS256, access 60 min and refresh 7 days', async () => {
    const account = await register(ctx.app)
    const access = decodeJwt(account.access)
    const refresh = decodeJwt(account.refresh)
    assert.deepEqual(keys(access), ['exp', 'iat', 'jti', 'sid', 'token_type', 'user_id'])
    assert.equal(access.token_type, 'access')
    assert.equal(refresh.token_type, 'refresh')
    assert.equal(access.user_id, account.id)
    assert.equal(access.sid, refresh.sid)
    assert.notEqual(access.jti, refresh.jti)
    assert.equal(Number(access.exp) - Number(access.iat), 60 * 60)
    assert.equal(Number(refresh.exp) - Number(refresh.iat), 7 * 24 * 60 * 60)
    assert.deepEqual(JSON.parse(Buffer.from(account.access.split('.')[0]!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' })
  })

  it('a missing header on a protected route is 401 "not provided" with WWW-Authenticate', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: ME })
    assert.equal(response.statusCode, 401)
    assert401(response, NOT_PROVIDED)
  })

  it('refuses forged, tampered, alg:none, expired, wrong-type and malformed tokens', async () => {
    const account = await register(ctx.app)
    const claims = decodeJwt(account.access)
    const now = Math.floor(Date.now() / 1000)
    const [header, payload, signature] = account.access.split('.') as [string, string, string]
    const bad = {
      forged: signJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-that-is-long-enough-000000'),
      tampered: `${header}.${base64url({ ...claims, user_id: account.id + 1 })}.${signature}`,
      algNone: `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      hs512: signJwt({ alg: 'HS512', typ: 'JWT' }, claims, JWT_SECRET, 'sha512'),
      expired: signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, JWT_SECRET),
      refreshAsAccess: account.refresh,
      noSession: signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: 'no-such-session' }, JWT_SECRET),
      stringUserId: signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, user_id: String(account.id) }, JWT_SECRET),
      garbage: 'not.a.jwt',
      empty: '',
    }
    // Verified once, so cached: a tampered token that keeps its signature must still be checked in full.
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 200, 'the genuine token')
    for (const [label, token] of Object.entries(bad)) {
      const response = await getMe(ctx.app, token)
      assert.equal(response.statusCode, 401, label)
      assert.deepEqual(response.json(), { detail: 'Given token not valid for any token type', code: 'token_not_valid' }, label)
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"', label)
    }
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 200, 'the genuine token still works')
  })

  it('a token accepted once (and cached as verified) is refused once it expires', async () => {
    const account = await register(ctx.app)
    const now = Math.floor(Date.now() / 1000)
    const shortLived = signJwt({ alg: 'HS256', typ: 'JWT' }, { ...decodeJwt(account.access), iat: now, exp: now + 2 }, JWT_SECRET)
    assert.equal((await getMe(ctx.app, shortLived)).statusCode, 200)
    assert.equal((await getMe(ctx.app, shortLived)).statusCode, 200)
    await new Promise((resolve) => setTimeout(resolve, (now + 2) * 1000 - Date.now() + 50))
    assert.equal((await getMe(ctx.app, shortLived)).statusCode, 401)
  })

  it('a token sent to a public route must be valid too', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', headers: { authorization: 'Bearer garbage' } })
    assert.equal(response.statusCode, 401)
  })

  it('are refused once the user is deactivated', async () => {
    const account = await register(ctx.app)
    await setActive(ctx.db, account.id, false)
    const me = await getMe(ctx.app, account.access)
    assert.equal(me.statusCode, 401)
    assert.deepEqual(me.json(), { detail: 'User is inactive', code: 'user_inactive' })
    assert.equal(me.headers['www-authenticate'], 'Bearer realm="api"')
    const refresh = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(refresh.statusCode, 401)
  })

  it('are refused once the user is deleted', async () => {
    const account = await register(ctx.app)
    await ctx.db.deleteFrom('users').where('id', '=', account.id).execute()
    const me = await getMe(ctx.app, account.access)
    assert.equal(me.statusCode, 401)
    assert.equal(me.json().code, 'token_not_valid')
  })
})
