import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestApp, PASSWORD, register, uniqueName, type Account, type TestApp } from '../helper.js'

const BASE = '/careers/users'
const REDIS = process.env.TEST_REDIS_URL
// The defaults of section 6 (the helper relaxes the per-IP ones for the other suites), in process and, when
// TEST_REDIS_URL is set, in Redis under a prefix of this run.
const DEFAULTS = { LOGINS_PER_IP: '', REGISTRATIONS_PER_IP: '', LOGIN_FAILURES_PER_ACCOUNT: '' }
const stores: [string, Record<string, string>][] = [['in process', {}]]
if (REDIS) stores.push(['in Redis', { REDIS_URL: REDIS }])
else console.log('# redis: limiter-on-Redis runs skipped (TEST_REDIS_URL is not set)')

const apps: TestApp[] = []
after(async () => Promise.all(apps.map((app) => app.close())))

async function fresh(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await buildTestApp({ ...DEFAULTS, REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`, ...env })
  apps.push(app)
  return app
}

function login(
  ctx: TestApp,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username, password }, headers })
}

function assertThrottled(response: LightMyRequestResponse): number {
  assert.equal(response.statusCode, 429, response.body)
  const seconds = Number(response.headers['retry-after'])
  assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After ${String(response.headers['retry-after'])}`)
  assert.deepEqual(response.json(), { detail: `Request was throttled. Expected available in ${seconds} seconds.` })
  return seconds
}

for (const [store, env] of stores) {
  describe(`limits with their defaults, ${store}`, () => {
    it('10 failures per account, any spelling; the 11th is refused even with the right password', async () => {
      const ctx = await fresh(env)
      const alice = await register(ctx.app, { username: uniqueName('Alice') })
      const spellings = [alice.username, alice.username.toLowerCase(), alice.email.toUpperCase(), alice.username.toUpperCase()]
      for (let attempt = 0; attempt < 10; attempt++) {
        if (attempt === 5) assert.equal((await login(ctx, alice.username, PASSWORD)).statusCode, 200)
        assert.equal((await login(ctx, spellings[attempt % spellings.length]!, 'wrong-password')).statusCode, 401)
      }
      for (const spelling of spellings) {
        const seconds = assertThrottled(await login(ctx, spelling, PASSWORD))
        assert.ok(seconds <= 15 * 60 && seconds > 14 * 60, `${seconds}`)
      }
      const bob = await register(ctx.app)
      assert.equal((await login(ctx, bob.username, PASSWORD)).statusCode, 200)
    })

    it('successes and refused bodies cost nothing: 9 failures, 5 successes, a 400, then the 10th failure is a 401', async () => {
      const ctx = await fresh(env)
      const alice = await register(ctx.app)
      for (let attempt = 0; attempt < 9; attempt++)
        assert.equal((await login(ctx, alice.username, 'wrong-password')).statusCode, 401)
      for (let attempt = 0; attempt < 5; attempt++) assert.equal((await login(ctx, alice.email, PASSWORD)).statusCode, 200)
      const missing = await ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username: alice.username } })
      assert.equal(missing.statusCode, 400)
      assert.equal((await login(ctx, alice.username, 'wrong-password')).statusCode, 401)
      assertThrottled(await login(ctx, alice.username, PASSWORD))
    })

    it('parallel failures cannot overshoot the per-account limit', async () => {
      const ctx = await fresh(env)
      const results = await Promise.all(Array.from({ length: 15 }, () => login(ctx, 'no-such-account', 'wrong-password')))
      const codes = results.map((response) => response.statusCode).sort()
      assert.deepEqual(codes, [...Array(10).fill(401), ...Array(5).fill(429)])
    })

    it('parallel logins with the right password all succeed, also with 9 failures on record', async () => {
      const ctx = await fresh(env)
      const alice = await register(ctx.app)
      const together = async (count: number): Promise<number[]> =>
        (await Promise.all(Array.from({ length: count }, () => login(ctx, alice.username, PASSWORD)))).map((r) => r.statusCode)
      assert.deepEqual(await together(20), Array(20).fill(200))
      for (let attempt = 0; attempt < 9; attempt++)
        assert.equal((await login(ctx, alice.username, 'wrong-password')).statusCode, 401)
      assert.deepEqual(await together(10), Array(10).fill(200))
      assert.equal((await login(ctx, alice.email, 'wrong-password')).statusCode, 401)
      assertThrottled(await login(ctx, alice.username, PASSWORD))
    })

    it('a throttled attempt costs no password hash', async () => {
      const ctx = await fresh(env)
      for (let attempt = 0; attempt < 10; attempt++) await login(ctx, 'target', 'wrong-password')
      // Against the same path with a hash (unknown names, each under its limit), measured side by side so that
      // the machine's load weighs on both: a throttled attempt must cost well under one that hashes.
      const timed = async (names: (attempt: number) => string): Promise<number> => {
        const begin = performance.now()
        for (let attempt = 0; attempt < 10; attempt++) await login(ctx, names(attempt), 'wrong-password')
        return performance.now() - begin
      }
      const hashing = await timed((attempt) => `other-${attempt}`)
      const throttled = await timed(() => 'target')
      assertThrottled(await login(ctx, 'target', 'wrong-password'))
      assert.ok(throttled < 0.75 * hashing, `10 throttled logins took ${throttled} ms; 10 with a hash ${hashing} ms`)
    })

    it('wrong passwords on password change and account deletion count as failed logins of that account', async () => {
      const ctx = await fresh(env)
      const change = (who: Account, old: string) =>
        ctx.app.inject({
          method: 'POST',
          url: `${BASE}/me/password/`,
          headers: who.auth,
          payload: { old_password: old, new_password: 'another-pass-1', new_password_confirm: 'another-pass-1' },
        })
      const remove = (who: Account, password: string) =>
        ctx.app.inject({ method: 'DELETE', url: `${BASE}/me/`, headers: who.auth, payload: { password } })

      const alice = await register(ctx.app)
      for (let attempt = 0; attempt < 4; attempt++)
        assert.equal((await login(ctx, alice.email, 'wrong-password')).statusCode, 401)
      for (let attempt = 0; attempt < 3; attempt++) {
        const wrong = await change(alice, 'wrong-password')
        assert.deepEqual(Object.keys(wrong.json()), ['old_password'])
        assert.equal((await remove(alice, 'wrong-password')).statusCode, 400)
      }
      // Ten failures: nothing is checked any more, the right password included, on any of the three routes.
      assertThrottled(await change(alice, PASSWORD))
      assertThrottled(await remove(alice, PASSWORD))
      assertThrottled(await login(ctx, alice.username, PASSWORD))
      assert.equal((await ctx.app.inject({ method: 'GET', url: `${BASE}/me/`, headers: alice.auth })).statusCode, 200)

      // A right password costs nothing: nine failures, a change, then the new password still logs in.
      const bob = await register(ctx.app)
      for (let attempt = 0; attempt < 9; attempt++)
        assert.equal((await login(ctx, bob.username, 'wrong-password')).statusCode, 401)
      assert.equal((await change(bob, PASSWORD)).statusCode, 200)
      assert.equal((await login(ctx, bob.username, 'another-pass-1')).statusCode, 200)
    })

    it('100 logins per IP (all attempts), then 429; X-Forwarded-For does not escape it', async () => {
      const ctx = await fresh(env)
      const alice = await register(ctx.app)
      for (let attempt = 0; attempt < 100; attempt++) {
        const response = await login(ctx, `nobody-${attempt}`, 'wrong-password', { 'x-forwarded-for': `10.0.0.${attempt}` })
        assert.equal(response.statusCode, 401)
      }
      assertThrottled(await login(ctx, alice.username, PASSWORD, { 'x-forwarded-for': '10.9.9.9' }))
      const other = await ctx.app.inject({
        method: 'POST',
        url: `${BASE}/login/`,
        payload: { username: alice.username, password: PASSWORD },
        remoteAddress: '10.1.1.1',
      })
      assert.equal(other.statusCode, 200)
    })

    it('20 registrations per IP, then 429 with Retry-After', async () => {
      const ctx = await fresh(env)
      for (let attempt = 0; attempt < 20; attempt++) await register(ctx.app)
      const refused = await ctx.app.inject({ method: 'POST', url: `${BASE}/register/`, payload: {} })
      const seconds = assertThrottled(refused)
      assert.ok(seconds > 3500 && seconds <= 3600)
      const logins = await login(ctx, 'someone', 'wrong-password')
      assert.equal(logins.statusCode, 401)
    })
  })
}

describe('TRUST_PROXY and RATE_LIMITS', () => {
  it('with TRUST_PROXY the forwarded client IP is limited (and recorded on its sessions)', async () => {
    const ctx = await fresh({ TRUST_PROXY: '127.0.0.1', LOGINS_PER_IP: '2/1m' })
    const alice = await register(ctx.app)
    const headers = { 'x-forwarded-for': '203.0.113.7' }
    assert.equal((await login(ctx, alice.username, PASSWORD, headers)).statusCode, 200)
    const second = await login(ctx, alice.username, PASSWORD, headers)
    const sessions = await ctx.app.inject({
      method: 'GET',
      url: `${BASE}/me/sessions/`,
      headers: { authorization: `Bearer ${second.json().access}` },
    })
    assert.equal(sessions.json().results[0].ip, '203.0.113.7')
    assertThrottled(await login(ctx, alice.username, PASSWORD, headers))
    assert.equal((await login(ctx, alice.username, PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).statusCode, 200)
  })

  it('RATE_LIMITS=off lets everything through', async () => {
    const ctx = await fresh({ RATE_LIMITS: 'off', LOGIN_FAILURES_PER_ACCOUNT: '1/1h' })
    for (let attempt = 0; attempt < 12; attempt++) assert.equal((await login(ctx, 'someone', 'wrong-password')).statusCode, 401)
  })
})
