import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { purgeExpiredSessions } from '../../src/modules/auth/sessions.repository.js'
import {
  assert401,
  build,
  decodeJwt,
  getMe,
  keys,
  PASSWORD,
  REFRESH_NOT_VALID,
  register,
  signJwt,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()
const LOGIN = '/careers/users/login/'
const REFRESH = '/careers/users/token/refresh/'
const LOGOUT = '/careers/users/logout/'
const ME = '/careers/users/me/'

describe('POST /careers/users/token/refresh/', () => {
  it('answers exactly {access} with a working access token of the same session', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(keys(response.json()), ['access'])
    const access = response.json().access
    assert.equal(decodeJwt(access).sid, decodeJwt(account.refresh).sid)
    assert.equal(decodeJwt(access).token_type, 'access')
    assert.equal((await getMe(ctx.app, access)).statusCode, 200)
  })

  it('needs the refresh field', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), { refresh: ['This field is required.'] })
  })

  it('refuses an access token, garbage and forged tokens with 401 token_not_valid', async () => {
    const account = await register(ctx.app)
    const forged = signJwt({ alg: 'HS256', typ: 'JWT' }, decodeJwt(account.refresh), 'x'.repeat(40))
    for (const refresh of [account.access, 'garbage', forged]) {
      const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh } })
      assert.equal(response.statusCode, 401)
      assert401(response, REFRESH_NOT_VALID)
    }
  })
})

describe('POST /careers/users/logout/', () => {
  it('ends the session: its refresh and access tokens are refused at once', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({
      method: 'POST',
      url: LOGOUT,
      headers: account.auth,
      payload: { refresh: account.refresh },
    })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: 'Successfully logged out' })
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 401)
    const refresh = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(refresh.statusCode, 401)
    assert401(refresh, REFRESH_NOT_VALID)
  })

  it("leaves the user's other sessions open, and is idempotent", async () => {
    const account = await register(ctx.app)
    const second = (
      await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: account.username, password: PASSWORD } })
    ).json()
    const secondAuth = { authorization: `Bearer ${second.access}` }
    const first = await ctx.app.inject({
      method: 'POST',
      url: LOGOUT,
      headers: secondAuth,
      payload: { refresh: account.refresh },
    })
    assert.equal(first.statusCode, 200)
    const again = await ctx.app.inject({
      method: 'POST',
      url: LOGOUT,
      headers: secondAuth,
      payload: { refresh: account.refresh },
    })
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), { message: 'Successfully logged out' })
    assert.equal((await getMe(ctx.app, second.access)).statusCode, 200)
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 401)
  })

  it('needs an access token', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: LOGOUT, payload: { refresh: account.refresh } })
    assert.equal(response.statusCode, 401)
  })

  it("refuses a missing, malformed or another user's refresh token with 400", async () => {
    const account = await register(ctx.app)
    const other = await register(ctx.app)
    const missing = await ctx.app.inject({ method: 'POST', url: LOGOUT, headers: account.auth, payload: {} })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(missing.json(), { refresh: ['This field is required.'] })
    for (const refresh of ['garbage', other.refresh, account.access]) {
      const response = await ctx.app.inject({ method: 'POST', url: LOGOUT, headers: account.auth, payload: { refresh } })
      assert.equal(response.statusCode, 400)
      assert.equal(typeof response.json().detail, 'string')
    }
    assert.equal((await getMe(ctx.app, other.access)).statusCode, 200, "the other user's session is untouched")
  })
})

describe('sessions', () => {
  it('expire with the refresh token, and expired rows are purged', async (t) => {
    const shortLived = await build(t, { REFRESH_TOKEN_TTL: '1s' })
    const account = await register(shortLived.app)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const refresh = await shortLived.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(refresh.statusCode, 401)
    const access = await shortLived.app.inject({ method: 'GET', url: ME, headers: account.auth })
    assert.equal(access.statusCode, 401, 'an access token outliving its session is refused')
    assert.equal(await purgeExpiredSessions(shortLived.db, new Date().toISOString()), 1)
    const left = await shortLived.db.selectFrom('sessions').select('id').where('user_id', '=', account.id).execute()
    assert.deepEqual(left, [])
  })

  it('store ids and timestamps, never a token', async () => {
    const account = await register(ctx.app)
    const rows = await ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', account.id).execute()
    assert.equal(rows.length, 1)
    const stored = JSON.stringify(rows)
    assert.ok(!stored.includes(account.access) && !stored.includes(account.refresh))
    assert.equal(rows[0]!.id, decodeJwt(account.refresh).sid)
  })
})
