import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { ConfigError, loadConfig } from '../../src/config.js'
import { buildTestApp, PASSWORD, register, type TestApp } from '../helper.js'
import { Relay } from '../resilience/relay.js'

const BASE = '/careers/users'
const REDIS = process.env.TEST_REDIS_URL
if (!REDIS) console.log('# redis: shared-count suite skipped (TEST_REDIS_URL is not set)')

const apps: TestApp[] = []
after(async () => Promise.all(apps.map((app) => app.close())))

async function fresh(env: Record<string, string>): Promise<TestApp> {
  const app = await buildTestApp(env)
  apps.push(app)
  return app
}

describe('two app instances on one Redis', { skip: !REDIS }, () => {
  it('share one per-IP count and one per-account count', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`
    const env = { REDIS_URL: REDIS!, REDIS_KEY_PREFIX: prefix, LOGINS_PER_IP: '6/15m', LOGIN_FAILURES_PER_ACCOUNT: '3/15m' }
    const [one, two] = [await fresh(env), await fresh(env)]
    const attempt = (ctx: TestApp, username: string) =>
      ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username, password: 'wrong-password' } })
    assert.equal((await attempt(one, 'Shared')).statusCode, 401)
    assert.equal((await attempt(two, 'shared')).statusCode, 401)
    assert.equal((await attempt(one, 'SHARED')).statusCode, 401)
    assert.equal((await attempt(two, 'shared')).statusCode, 429)
    // Four attempts so far from 127.0.0.1 across both; the fifth and sixth pass, the seventh is refused on either.
    assert.equal((await attempt(one, 'another')).statusCode, 401)
    assert.equal((await attempt(two, 'another')).statusCode, 401)
    assert.equal((await attempt(two, 'another')).statusCode, 429)
    assert.equal((await attempt(one, 'another')).statusCode, 429)
    // One key per limit and subject, named after them.
    const redis = new Redis(REDIS!)
    try {
      const found = (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length)).sort()
      assert.deepEqual(found, [
        'ip:login:127.0.0.1',
        'login-failures:name:another',
        'login-failures:name:shared',
        'login-reservations:name:another',
        'login-reservations:name:shared',
      ])
      assert.ok((await redis.pttl(`${prefix}ip:login:127.0.0.1`)) > 14 * 60 * 1000)
    } finally {
      redis.disconnect()
    }
  })
})

describe('when Redis goes away while the service runs', { skip: !REDIS }, () => {
  it('keeps answering: per-IP lets requests through uncounted, per-account counts in the process', async () => {
    const target = new URL(REDIS ?? 'redis://127.0.0.1:6379')
    const relay = new Relay(target.hostname, Number(target.port || 6379))
    const port = await relay.listen()
    const prefix = `test:${randomBytes(6).toString('hex')}:`
    const ctx = await fresh({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_KEY_PREFIX: prefix,
      LOGINS_PER_IP: '3/10m',
      LOGIN_FAILURES_PER_ACCOUNT: '2/15m',
    })
    const alice = await register(ctx.app)
    const login = (password: string) =>
      ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username: alice.username, password } })
    assert.equal((await login(PASSWORD)).statusCode, 200)
    const redis = new Redis(REDIS!)
    try {
      assert.equal(await redis.get(`${prefix}ip:login:127.0.0.1`), '1')
    } finally {
      redis.disconnect()
    }
    await relay.close()
    // Over the per-IP limit (3), yet answered: that limit fails open.
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await login(PASSWORD)).statusCode, 200)
    assert.equal((await login('wrong-password')).statusCode, 401)
    assert.equal((await login('wrong-password')).statusCode, 401)
    // The per-account limit (15 minutes, unlike the per-IP 10) still holds, in this process.
    const refused = await login(PASSWORD)
    assert.equal(refused.statusCode, 429)
    assert.ok(Number(refused.headers['retry-after']) > 600, String(refused.headers['retry-after']))
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  })
})

describe('when Redis cannot be reached', () => {
  it('the service keeps answering: per-IP fails open, per-account falls back to the process', async () => {
    const ctx = await fresh({ REDIS_URL: 'redis://127.0.0.1:1', LOGIN_FAILURES_PER_ACCOUNT: '2/15m', LOGINS_PER_IP: '1/15m' })
    const alice = await register(ctx.app)
    const login = (password: string) =>
      ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username: alice.username, password } })
    assert.equal((await login(PASSWORD)).statusCode, 200)
    assert.equal((await login('wrong-password')).statusCode, 401)
    assert.equal((await login('wrong-password')).statusCode, 401)
    assert.equal((await login(PASSWORD)).statusCode, 429)
  })
})

describe('security headers, CORS and /docs', () => {
  it('answers JSON with helmet headers; CORS only for configured origins; /docs still loads', async () => {
    const ctx = await fresh({ CORS_ORIGINS: 'https://app.example.com' })
    const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/`, headers: { origin: 'https://app.example.com' } })
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    assert.equal(response.headers['x-frame-options'], 'DENY')
    assert.equal(response.headers['referrer-policy'], 'no-referrer')
    // JSON loads nothing and cannot be framed; the /docs page may load its own assets.
    assert.equal(response.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    assert.equal(response.headers['access-control-allow-origin'], 'https://app.example.com')
    const foreign = await ctx.app.inject({ method: 'GET', url: `${BASE}/`, headers: { origin: 'https://evil.example' } })
    assert.equal(foreign.headers['access-control-allow-origin'], undefined)
    const preflight = await ctx.app.inject({
      method: 'OPTIONS',
      url: `${BASE}/login/`,
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    })
    assert.equal(preflight.statusCode, 204)
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/)
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/nope/' })).statusCode, 404)
    const docs = await ctx.app.inject({ method: 'GET', url: '/docs/' })
    assert.equal(docs.statusCode, 200)
    assert.match(docs.body, /swagger-ui-bundle\.js/)
    assert.match(String(docs.headers['content-security-policy']), /^default-src 'self';.*script-src 'self'/)
    assert.equal(docs.headers['x-frame-options'], 'SAMEORIGIN')
    for (const asset of [
      '/docs/static/swagger-ui-bundle.js',
      '/docs/static/swagger-initializer.js',
      '/docs/static/swagger-ui.css',
    ]) {
      assert.equal((await ctx.app.inject({ method: 'GET', url: asset })).statusCode, 200, asset)
    }
  })

  it('sends HSTS only over HTTPS, as a trusted proxy reports it; routing failures carry the headers too', async () => {
    const ctx = await fresh({ TRUST_PROXY: '127.0.0.1' })
    const plain = await ctx.app.inject({ method: 'GET', url: `${BASE}/` })
    assert.equal(plain.headers['strict-transport-security'], undefined)
    assert.equal(plain.headers['x-frame-options'], 'DENY')
    const secure = await ctx.app.inject({ method: 'GET', url: `${BASE}/`, headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(secure.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
    assert.equal(secure.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    const docs = await ctx.app.inject({ method: 'GET', url: '/docs/', headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(docs.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/docs/' })).headers['strict-transport-security'], undefined)
    // From an untrusted peer the header is the client's word, not the proxy's.
    const untrusted = await fresh({})
    const claimed = await untrusted.app.inject({ method: 'GET', url: `${BASE}/`, headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(claimed.headers['strict-transport-security'], undefined)
    // Fastify's own routing failures answer before any hook runs.
    const malformed = await ctx.app.inject({ method: 'GET', url: `${BASE}/%E0%A4%A/` })
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.headers['x-content-type-options'], 'nosniff')
    assert.equal(malformed.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    assert.match(String(malformed.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  })

  it('no CORS headers without CORS_ORIGINS', async () => {
    const ctx = await fresh({})
    const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/`, headers: { origin: 'https://app.example.com' } })
    assert.equal(response.headers['access-control-allow-origin'], undefined)
    // A preflight is then an OPTIONS like any other: 405 with Allow on a known path, 404 elsewhere.
    const preflight = { origin: 'https://app.example.com', 'access-control-request-method': 'POST' }
    const known = await ctx.app.inject({ method: 'OPTIONS', url: `${BASE}/login/`, headers: preflight })
    assert.equal(known.statusCode, 405)
    assert.equal(known.headers.allow, 'POST')
    assert.deepEqual(known.json(), { detail: 'Method "OPTIONS" not allowed.' })
    const unknown = await ctx.app.inject({ method: 'OPTIONS', url: '/nope/', headers: preflight })
    assert.equal(unknown.statusCode, 404)
    for (const answer of [known, unknown]) {
      assert.deepEqual(
        Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
        [],
      )
      assert.equal(answer.headers['x-content-type-options'], 'nosniff')
    }
  })
})

describe('configuration', () => {
  it('refuses invalid values with one sentence', () => {
    for (const [name, value] of [
      ['LOGINS_PER_IP', '100'],
      ['LOGIN_FAILURES_PER_ACCOUNT', '0/15m'],
      ['REGISTRATIONS_PER_IP', '20/1d'],
      ['RATE_LIMITS', 'maybe'],
      ['REDIS_URL', 'http://x'],
      ['TRUST_PROXY', '10.0.0.0/99'],
      ['CORS_ORIGINS', 'app.example.com'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(name),
        name,
      )
    }
    const config = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1', LOGINS_PER_IP: '5/30s' })
    assert.deepEqual(config.trustProxy, ['10.0.0.0/8', '127.0.0.1'])
    assert.deepEqual(config.rateLimits?.loginsPerIp, { count: 5, windowSeconds: 30 })
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
    assert.equal(loadConfig({ RATE_LIMITS: 'off' }).rateLimits, undefined)
  })
})
