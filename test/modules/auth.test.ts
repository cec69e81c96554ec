import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { purgeExpiredSessions } from '../../src/modules/auth/sessions.repository.js'
import { setUserActive } from '../../src/modules/users/users.repository.js'
import { buildTestApp, JWT_SECRET, keys, PASSWORD, register, uniqueName, useTestApp } from '../helper.js'

const ctx = useTestApp()
const REGISTER = '/careers/users/register/'
const LOGIN = '/careers/users/login/'
const REFRESH = '/careers/users/token/refresh/'
const LOGOUT = '/careers/users/logout/'
const ME = '/careers/users/me/'
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function signHs256(header: object, payload: object, secret: string): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

async function me(token: string) {
  return ctx.app.inject({ method: 'GET', url: ME, headers: { authorization: `Bearer ${token}` } })
}

function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const username = uniqueName('reg')
  return { username, email: `${username}@example.com`, password: PASSWORD, password_confirm: PASSWORD, ...overrides }
}

describe('POST /careers/users/register/', () => {
  it('creates the account and answers exactly the seed shape', async () => {
    const body = registration({ first_name: 'Alice', last_name: 'Smith', bio: 'Software developer passionate about APIs' })
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: body })
    assert.equal(response.statusCode, 201)
    const json = response.json()
    assert.deepEqual(keys(json), ['access', 'refresh', 'user'])
    assert.deepEqual(keys(json.user), ['bio', 'created_at', 'email', 'first_name', 'id', 'last_name', 'username'])
    assert.equal(typeof json.user.id, 'number')
    assert.equal(json.user.username, body.username)
    assert.equal(json.user.email, body.email)
    assert.equal(json.user.first_name, 'Alice')
    assert.equal(json.user.bio, 'Software developer passionate about APIs')
    assert.match(json.user.created_at, ISO_UTC)
    assert.match(response.headers['content-type'] as string, /^application\/json; charset=utf-8$/)
    assert.equal((await me(json.access)).statusCode, 200)
  })

  it('stores empty optional text as "" and a missing avatar as null', async () => {
    const { access } = (await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration() })).json()
    const profile = (await me(access)).json()
    assert.equal(profile.first_name, '')
    assert.equal(profile.last_name, '')
    assert.equal(profile.bio, '')
    assert.equal(profile.avatar, null)
  })

  it('works without the trailing slash', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/careers/users/register', payload: registration() })
    assert.equal(response.statusCode, 201)
  })

  it('reports every missing field at once, DRF style', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), {
      username: ['This field is required.'],
      email: ['This field is required.'],
      password: ['This field is required.'],
      password_confirm: ['This field is required.'],
    })
  })

  it('treats an absent body like an empty object', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(keys(response.json()), ['email', 'password', 'password_confirm', 'username'])
  })

  it('refuses mismatched confirmation and a bad email in one answer', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ email: 'not-an-email', password_confirm: 'different123' }),
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), {
      email: ['Enter a valid email address.'],
      password_confirm: ['Passwords do not match.'],
    })
  })

  for (const [label, username] of [
    ['too short', 'ab'],
    ['too long', 'a'.repeat(151)],
    ['a space', 'bad name'],
    ['a forbidden character', 'bad!name'],
    ['a slash', 'bad/name'],
    ['a non-ASCII letter', 'jösé'],
    ['empty', ''],
  ] as const) {
    it(`refuses a username that is ${label}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['username'])
    })
  }

  it('accepts every allowed username character', async () => {
    const username = `a.b+c-d_e@f${process.pid}`
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ username }) })
    assert.equal(response.statusCode, 201)
    assert.equal(response.json().user.username, username)
  })

  for (const reserved of ['me', 'ME', 'register', 'Following', 'admin', 'docs', 'health', 'metrics', 'search']) {
    it(`refuses the reserved username "${reserved}"`, async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: REGISTER,
        payload: registration({ username: reserved, email: `${uniqueName()}@example.com` }),
      })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), ['username'])
    })
  }

  it('refuses a username or email taken in another case', async () => {
    const first = registration()
    assert.equal((await ctx.app.inject({ method: 'POST', url: REGISTER, payload: first })).statusCode, 201)
    const sameName = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ username: String(first.username).toUpperCase() }),
    })
    assert.equal(sameName.statusCode, 400)
    assert.deepEqual(keys(sameName.json()), ['username'])
    const sameEmail = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ email: String(first.email).toUpperCase() }),
    })
    assert.equal(sameEmail.statusCode, 400)
    assert.deepEqual(keys(sameEmail.json()), ['email'])
  })

  for (const [label, password, extra] of [
    ['shorter than 8 characters', 'abc1234', {}],
    ['entirely numeric', '1234567890', {}],
    ['longer than 128 characters', 'a1'.repeat(65), {}],
    ['the username', 'samepassuser', { username: 'samepassuser' }],
  ] as const) {
    it(`refuses a password that is ${label}`, async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: REGISTER,
        payload: registration({ password, password_confirm: password, ...extra }),
      })
      assert.equal(response.statusCode, 400)
      assert.ok('password' in response.json())
    })
  }

  for (const [field, value] of [
    ['first_name', 'x'.repeat(151)],
    ['last_name', 'x'.repeat(151)],
    ['bio', 'x'.repeat(1001)],
    ['avatar', 'ftp://example.com/a.png'],
    ['avatar', 'not a url'],
    ['avatar', `https://example.com/${'a'.repeat(500)}`],
    ['email', `${'a'.repeat(250)}@example.com`],
    ['first_name', null],
    ['bio', 42],
    ['username', 12345],
    ['first_name', 'nul\u0000byte'],
  ] as const) {
    it(`refuses ${field} = ${JSON.stringify(value)?.slice(0, 30)}`, async () => {
      const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration({ [field]: value }) })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), [field])
      assert.ok(Array.isArray(response.json()[field]))
    })
  }

  it('ignores keys a client may not set (no mass assignment)', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: REGISTER,
      payload: registration({ id: 999_999, is_staff: true, is_active: false, followers_count: 50, created_at: '2000-01-01T00:00:00Z' }),
    })
    assert.equal(response.statusCode, 201)
    const { user, access } = response.json()
    assert.notEqual(user.id, 999_999)
    assert.notEqual(user.created_at, '2000-01-01T00:00:00Z')
    const profile = (await me(access)).json()
    assert.equal(profile.followers_count, 0)
  })

  it('never returns the password or its hash', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REGISTER, payload: registration() })
    assert.ok(!response.body.includes(PASSWORD))
    assert.ok(!response.body.includes('argon2'))
  })
})

describe('POST /careers/users/login/', () => {
  it('logs in by username, answering exactly the seed shape', async () => {
    const account = await register(ctx.app, { first_name: 'Lo', last_name: 'Gin' })
    const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: account.username, password: PASSWORD } })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['access', 'refresh', 'user'])
    assert.deepEqual(json.user, { id: account.id, username: account.username, email: account.email, first_name: 'Lo', last_name: 'Gin' })
  })

  it('logs in by email and by username in any case', async () => {
    const account = await register(ctx.app)
    for (const username of [account.email, account.email.toUpperCase(), account.username.toUpperCase()]) {
      const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username, password: PASSWORD } })
      assert.equal(response.statusCode, 200, username)
      assert.equal(response.json().user.id, account.id)
    }
  })

  it('answers wrong password, unknown user and inactive account identically', async () => {
    const account = await register(ctx.app)
    const inactive = await register(ctx.app)
    await setUserActive(ctx.db, inactive.id, false)
    const attempts = [
      { username: account.username, password: 'wrong-password' },
      { username: uniqueName('nobody'), password: PASSWORD },
      { username: inactive.username, password: PASSWORD },
    ]
    for (const payload of attempts) {
      const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload })
      assert.equal(response.statusCode, 401)
      assert.deepEqual(response.json(), { detail: 'No active account found with the given credentials' })
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    }
  })

  it('needs both fields', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), { username: ['This field is required.'], password: ['This field is required.'] })
  })

  it('refuses non-string credentials with 400', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: ['a'], password: 1 } })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(keys(response.json()), ['password', 'username'])
  })
})

describe('tokens', () => {
  it('carry simplejwt claims plus the session id, HS256, access 60 min and refresh 7 days', async () => {
    const account = await register(ctx.app)
    const access = decode(account.access)
    const refresh = decode(account.refresh)
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
    assert.deepEqual(response.json(), { detail: 'Authentication credentials were not provided.' })
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
  })

  it('refuses forged, tampered, alg:none, expired, wrong-type and malformed tokens', async () => {
    const account = await register(ctx.app)
    const claims = decode(account.access)
    const now = Math.floor(Date.now() / 1000)
    const [header, payload, signature] = account.access.split('.') as [string, string, string]
    const bad = {
      forged: signHs256({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-that-is-long-enough-000000'),
      tampered: `${header}.${base64url({ ...claims, user_id: account.id + 1 })}.${signature}`,
      algNone: `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      hs512: (() => {
        const unsigned = `${base64url({ alg: 'HS512', typ: 'JWT' })}.${payload}`
        return `${unsigned}.${createHmac('sha512', JWT_SECRET).update(unsigned).digest('base64url')}`
      })(),
      expired: signHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, JWT_SECRET),
      refreshAsAccess: account.refresh,
      noSession: signHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: 'no-such-session' }, JWT_SECRET),
      stringUserId: signHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, user_id: String(account.id) }, JWT_SECRET),
      garbage: 'not.a.jwt',
      empty: '',
    }
    for (const [label, token] of Object.entries(bad)) {
      const response = await me(token)
      assert.equal(response.statusCode, 401, label)
      assert.deepEqual(response.json(), { detail: 'Given token not valid for any token type', code: 'token_not_valid' }, label)
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"', label)
    }
    assert.equal((await me(account.access)).statusCode, 200, 'the genuine token still works')
  })

  it('a token sent to a public route must be valid too', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', headers: { authorization: 'Bearer garbage' } })
    assert.equal(response.statusCode, 401)
  })

  it('are refused once the user is deactivated', async () => {
    const account = await register(ctx.app)
    await setUserActive(ctx.db, account.id, false)
    assert.equal((await me(account.access)).statusCode, 401)
    const refresh = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(refresh.statusCode, 401)
  })

  it('are refused once the user is deleted', async () => {
    const account = await register(ctx.app)
    await ctx.db.deleteFrom('users').where('id', '=', account.id).execute()
    assert.equal((await me(account.access)).statusCode, 401)
  })
})

describe('POST /careers/users/token/refresh/', () => {
  it('answers exactly {access} with a working access token of the same session', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(keys(response.json()), ['access'])
    const access = response.json().access
    assert.equal(decode(access).sid, decode(account.refresh).sid)
    assert.equal(decode(access).token_type, 'access')
    assert.equal((await me(access)).statusCode, 200)
  })

  it('needs the refresh field', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), { refresh: ['This field is required.'] })
  })

  it('refuses an access token, garbage and forged tokens with 401 token_not_valid', async () => {
    const account = await register(ctx.app)
    const forged = signHs256({ alg: 'HS256', typ: 'JWT' }, decode(account.refresh), 'x'.repeat(40))
    for (const refresh of [account.access, 'garbage', forged]) {
      const response = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh } })
      assert.equal(response.statusCode, 401)
      assert.deepEqual(response.json(), { detail: 'Token is invalid or expired', code: 'token_not_valid' })
    }
  })
})

describe('POST /careers/users/logout/', () => {
  it('ends the session: its refresh and access tokens are refused at once', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: LOGOUT, headers: account.auth, payload: { refresh: account.refresh } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: 'Successfully logged out' })
    assert.equal((await me(account.access)).statusCode, 401)
    const refresh = await ctx.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
    assert.equal(refresh.statusCode, 401)
    assert.deepEqual(refresh.json(), { detail: 'Token is invalid or expired', code: 'token_not_valid' })
  })

  it('leaves the user\'s other sessions open, and is idempotent', async () => {
    const account = await register(ctx.app)
    const second = (await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: account.username, password: PASSWORD } })).json()
    const secondAuth = { authorization: `Bearer ${second.access}` }
    const first = await ctx.app.inject({ method: 'POST', url: LOGOUT, headers: secondAuth, payload: { refresh: account.refresh } })
    assert.equal(first.statusCode, 200)
    const again = await ctx.app.inject({ method: 'POST', url: LOGOUT, headers: secondAuth, payload: { refresh: account.refresh } })
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), { message: 'Successfully logged out' })
    assert.equal((await me(second.access)).statusCode, 200)
    assert.equal((await me(account.access)).statusCode, 401)
  })

  it('needs an access token', async () => {
    const account = await register(ctx.app)
    const response = await ctx.app.inject({ method: 'POST', url: LOGOUT, payload: { refresh: account.refresh } })
    assert.equal(response.statusCode, 401)
  })

  it('refuses a missing, malformed or another user\'s refresh token with 400', async () => {
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
    assert.equal((await me(other.access)).statusCode, 200, "the other user's session is untouched")
  })
})

describe('sessions', () => {
  it('expire with the refresh token, and expired rows are purged', async () => {
    const shortLived = await buildTestApp({ REFRESH_TOKEN_TTL: '1s' })
    try {
      const account = await register(shortLived.app)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      const refresh = await shortLived.app.inject({ method: 'POST', url: REFRESH, payload: { refresh: account.refresh } })
      assert.equal(refresh.statusCode, 401)
      const access = await shortLived.app.inject({ method: 'GET', url: ME, headers: account.auth })
      assert.equal(access.statusCode, 401, 'an access token outliving its session is refused')
      assert.equal(await purgeExpiredSessions(shortLived.db, new Date().toISOString()), 1)
      const left = await shortLived.db.selectFrom('sessions').select('id').where('user_id', '=', account.id).execute()
      assert.deepEqual(left, [])
    } finally {
      await shortLived.close()
    }
  })

  it('store ids and timestamps, never a token', async () => {
    const account = await register(ctx.app)
    const rows = await ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', account.id).execute()
    assert.equal(rows.length, 1)
    const stored = JSON.stringify(rows)
    assert.ok(!stored.includes(account.access) && !stored.includes(account.refresh))
    assert.equal(rows[0]!.id, decode(account.refresh).sid)
  })
})
