import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { InjectOptions } from 'fastify'
import { assertDetailOnly, JSON_UTF8, NOT_FOUND, register, registration, useTestApp } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const REGISTER = `${BASE}/register/`
const LOGIN = `${BASE}/login/`
const ME = `${BASE}/me/`
const UPDATE = `${BASE}/me/update/`

describe('unknown routes', () => {
  for (const [method, url] of [
    ['GET', '/careers/nope/'],
    ['GET', '/careers/users/alice/nope/'],
    ['GET', '/'],
    ['GET', '/careers/users/a/b/c/d'],
    ['GET', '/careers/nope/nope/'],
    ['POST', '/careers/users/nope/nope/'],
    ['DELETE', '/careers/users/alice/followers/extra/'],
    ['GET', '/careers/users/token/'],
  ] as const) {
    it(`${method} ${url} → 404 {"detail": "Not found."}`, async () => {
      const response = await ctx.app.inject({ method, url })
      assert.equal(response.statusCode, 404)
      assert.deepEqual(response.json(), NOT_FOUND)
      assert.equal(response.headers['content-type'], JSON_UTF8)
    })
  }
})

describe('wrong method on a known route → 405 with Allow', () => {
  for (const [method, url, allowed] of [
    ['GET', `${BASE}/register/`, ['POST']],
    ['GET', `${BASE}/register`, ['POST']],
    ['PUT', `${BASE}/me/update/`, ['PATCH']],
    ['POST', `${BASE}/`, ['GET']],
    ['PUT', `${BASE}/me/`, ['GET', 'DELETE']],
    ['GET', `${BASE}/follow/`, ['POST']],
    ['POST', `${BASE}/alice/`, ['GET']],
    ['GET', `${BASE}/login/`, ['POST']],
    ['DELETE', `${BASE}/token/refresh/`, ['POST']],
    ['GET', `${BASE}/logout/`, ['POST']],
    ['POST', `${BASE}/me/stats/`, ['GET']],
    ['PATCH', `${BASE}/following/`, ['GET']],
    ['GET', `${BASE}/alice/unfollow/`, ['DELETE']],
    ['POST', `${BASE}/alice/followers/`, ['GET']],
    ['PUT', `${BASE}/alice/following/`, ['GET']],
    ['TRACE', `${BASE}/`, ['GET']],
    ['PROPFIND', '/health', ['GET']],
    ['SEARCH', `${BASE}/alice/`, ['GET']],
    ['REPORT', '/careers/1/likes/', ['GET']],
  ] as const) {
    it(`${method} ${url} → 405, Allow: ${allowed.join(', ')}`, async () => {
      const response = await ctx.app.inject({ method, url })
      assert.equal(response.statusCode, 405, response.body)
      assertDetailOnly(response, `${method} ${url}`)
      const allow = String(response.headers.allow ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
      for (const expected of allowed) assert.ok(allow.includes(expected), `Allow "${allow.join(', ')}" lacks ${expected}`)
      assert.ok(!allow.includes(method), `Allow "${allow.join(', ')}" lists the refused ${method}`)
    })
  }
})

describe('operations', () => {
  it('GET /health → 200 {"status": "ok"}', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  it('GET /ready → 200', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/ready' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  it('GET /openapi.json → OpenAPI 3.1 listing every seed path', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^application\/json/)
    const document = response.json()
    assert.match(document.openapi, /^3\.1/)
    // Relative, so that /docs sends its examples to the server that serves it, on any host and port.
    assert.deepEqual(
      document.servers.map((server: { url: string }) => server.url),
      ['/'],
    )
    // Every API operation documents the 503 it answers while the database cannot be reached.
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, { responses: object }>>)) {
      if (!path.startsWith('/careers/')) continue
      for (const [method, operation] of Object.entries(item)) assert.ok('503' in operation.responses, `${method} ${path}`)
    }
    // Batch parameters document no upper bound: larger values are clamped (or past the end), never refused.
    const batchSize = document.paths['/careers/users/'].get.parameters.find((p: { name: string }) => p.name === 'batch_size')
    assert.deepEqual([batchSize.schema.minimum, batchSize.schema.maximum], [1, undefined])
    const paths = Object.keys(document.paths)
    const expected: [string, string][] = [
      ['/careers/users/register/', 'post'],
      ['/careers/users/login/', 'post'],
      ['/careers/users/token/refresh/', 'post'],
      ['/careers/users/logout/', 'post'],
      ['/careers/users/', 'get'],
      ['/careers/users/{username}/', 'get'],
      ['/careers/users/me/', 'get'],
      ['/careers/users/me/update/', 'patch'],
      ['/careers/users/follow/', 'post'],
      ['/careers/users/{username}/unfollow/', 'delete'],
      ['/careers/users/following/', 'get'],
      ['/careers/users/{username}/followers/', 'get'],
      ['/careers/users/{username}/following/', 'get'],
      ['/careers/users/me/stats/', 'get'],
    ]
    const missing = expected.filter(([path, method]) => document.paths[path]?.[method] === undefined)
    assert.deepEqual(missing, [], `documented paths: ${paths.join(' ')}`)
  })

  it('GET /docs → an HTML page (following at most a few redirects)', async () => {
    let url = '/docs'
    let response = await ctx.app.inject({ method: 'GET', url })
    for (let hops = 0; hops < 3 && [301, 302, 303, 307, 308].includes(response.statusCode); hops++) {
      url = new URL(String(response.headers.location), 'http://localhost/docs').pathname
      response = await ctx.app.inject({ method: 'GET', url })
    }
    assert.equal(response.statusCode, 200, url)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(response.body, /<html/i)
  })
})

describe('x-request-id', () => {
  it('is on every response: success, errors, 404, 405, 413, 415, malformed URLs and over-long segments', async () => {
    const account = await register(ctx.app)
    const requests: InjectOptions[] = [
      { method: 'GET', url: '/health' },
      { method: 'GET', url: '/ready' },
      { method: 'GET', url: '/openapi.json' },
      { method: 'GET', url: `${BASE}/` },
      { method: 'GET', url: ME, headers: account.auth },
      { method: 'POST', url: REGISTER, payload: registration() },
      { method: 'POST', url: REGISTER, payload: {} },
      { method: 'GET', url: ME },
      { method: 'GET', url: '/careers/nope/' },
      { method: 'PUT', url: UPDATE },
      { method: 'POST', url: LOGIN, payload: '{bad', headers: { 'content-type': 'application/json' } },
      { method: 'POST', url: LOGIN, payload: 'a=b', headers: { 'content-type': 'text/plain' } },
      { method: 'PATCH', url: UPDATE, headers: account.auth, payload: { bio: 'x'.repeat(70 * 1024) } },
      { method: 'GET', url: `${BASE}/${'a'.repeat(300)}/` },
      { method: 'GET', url: `${BASE}/%E0%A4%A/` },
      { method: 'GET', url: `${BASE}/${'a'.repeat(600)}/` },
    ]
    const missing: string[] = []
    const ids = new Set<string>()
    for (const request of requests) {
      const response = await ctx.app.inject(request)
      const id = response.headers['x-request-id']
      if (typeof id !== 'string' || id === '')
        missing.push(`${request.method} ${String(request.url).slice(0, 60)} (${response.statusCode})`)
      else ids.add(id)
    }
    assert.deepEqual(missing, [], 'responses without x-request-id')
    assert.equal(ids.size, requests.length, 'each request has its own id')
  })
})
