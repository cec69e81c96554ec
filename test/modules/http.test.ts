import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { keys, PASSWORD, register, uniqueName, useTestApp, type Account } from '../helper.js'

const ctx = useTestApp()
const BASE = '/careers/users'
const REGISTER = `${BASE}/register/`
const LOGIN = `${BASE}/login/`
const REFRESH = `${BASE}/token/refresh/`
const LOGOUT = `${BASE}/logout/`
const FOLLOW = `${BASE}/follow/`
const ME = `${BASE}/me/`
const UPDATE = `${BASE}/me/update/`
const JSON_UTF8 = 'application/json; charset=utf-8'
const BEARER_CHALLENGE = 'Bearer realm="api"'
const NOT_FOUND = { detail: 'Not found.' }
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
const TOKEN_NOT_VALID = { detail: 'Given token not valid for any token type', code: 'token_not_valid' }

function send(options: InjectOptions): Promise<LightMyRequestResponse> {
  return ctx.app.inject(options)
}

/** A request with a raw body and an explicit content type (or none at all). */
function raw(method: 'POST' | 'PATCH', url: string, body: string, contentType: string | undefined, auth: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...auth }
  if (contentType !== undefined) headers['content-type'] = contentType
  return send({ method, url, payload: body, headers })
}

function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const username = uniqueName('http')
  return { username, email: `${username}@example.com`, password: PASSWORD, password_confirm: PASSWORD, ...overrides }
}

/** Asserts a `{"detail": "<string>"}` body, nothing else. */
function assertDetailOnly(response: LightMyRequestResponse, label = ''): void {
  const json = response.json()
  assert.deepEqual(keys(json), ['detail'], `${label}: ${response.body}`)
  assert.equal(typeof json.detail, 'string', label)
  assert.ok(json.detail.length > 0, label)
}

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
        const response = await send({ method: 'GET', url: path, headers: alice.auth })
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
        const response = await send({ method: 'GET', url: path })
        assertNoRedirect(response, path)
        assert.equal(response.statusCode, 200, `${path}: ${response.body}`)
      })
    }
  }

  for (const [spelling, path] of bothSpellings(REGISTER)) {
    it(`POST register ${spelling}`, async () => {
      const response = await send({ method: 'POST', url: path, payload: registration() })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 201, response.body)
      assert.deepEqual(keys(response.json()), ['access', 'refresh', 'user'])
    })
  }

  for (const [spelling, path] of bothSpellings(LOGIN)) {
    it(`POST login ${spelling}`, async () => {
      const response = await send({ method: 'POST', url: path, payload: { username: alice.username, password: PASSWORD } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(keys(response.json()), ['access', 'refresh', 'user'])
    })
  }

  for (const [spelling, path] of bothSpellings(REFRESH)) {
    it(`POST token/refresh ${spelling}`, async () => {
      const response = await send({ method: 'POST', url: path, payload: { refresh: alice.refresh } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(keys(response.json()), ['access'])
    })
  }

  for (const [spelling, path] of bothSpellings(LOGOUT)) {
    it(`POST logout ${spelling}`, async () => {
      const session = await register(ctx.app)
      const response = await send({ method: 'POST', url: path, headers: session.auth, payload: { refresh: session.refresh } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), { message: 'Successfully logged out' })
    })
  }

  for (const [spelling, path] of bothSpellings(FOLLOW)) {
    it(`POST follow ${spelling}`, async () => {
      const target = await register(ctx.app)
      const response = await send({ method: 'POST', url: path, headers: alice.auth, payload: { following: target.id } })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json().following, target.id)
    })
  }

  for (const [spelling, path] of bothSpellings(UPDATE)) {
    it(`PATCH me/update ${spelling}`, async () => {
      const response = await send({ method: 'PATCH', url: path, headers: alice.auth, payload: { bio: spelling } })
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
      const follow = await send({ method: 'POST', url: FOLLOW, headers: alice.auth, payload: { following: target.id } })
      assert.equal(follow.statusCode, 201)
      const full = `${BASE}/${target.username}/unfollow/`
      const path = trailing ? full : full.slice(0, -1)
      const response = await send({ method: 'DELETE', url: path, headers: alice.auth })
      assertNoRedirect(response, path)
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), { message: `Stopped following ${target.username}` })
    })
  }
})

describe('unknown routes', () => {
  for (const [method, url] of [
    ['GET', '/careers/nope/'],
    ['GET', '/careers/users/alice/nope/'],
    ['GET', '/'],
    ['GET', '/careers/users/a/b/c/d'],
    ['GET', '/careers/'],
    ['POST', '/careers/users/nope/nope/'],
    ['DELETE', '/careers/users/alice/followers/extra/'],
    ['GET', '/careers/users/token/'],
  ] as const) {
    it(`${method} ${url} → 404 {"detail": "Not found."}`, async () => {
      const response = await send({ method, url })
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
  ] as const) {
    it(`${method} ${url} → 405, Allow: ${allowed.join(', ')}`, async () => {
      const response = await send({ method, url })
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
      ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--xyz--\r\n'],
      [undefined, '{"username": "alice", "password": "password123"}'],
    ] as const) {
      it(`${method} ${url} with ${contentType ?? 'no content type'} → 415`, async () => {
        const response = await raw(method, url, body, contentType, account.auth)
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
        const response = await raw(method, url, body, 'application/json', account.auth)
        assert.equal(response.statusCode, 400, response.body)
        assertDetailOnly(response)
      })
    }
    for (const body of ['[]', '[{"username": "alice"}]', '"str"', '1', 'null', 'true']) {
      it(`${method} ${url} with the non-object JSON ${body} → 400 {detail}`, async () => {
        const response = await raw(method, url, body, 'application/json', account.auth)
        assert.equal(response.statusCode, 400, response.body)
        assertDetailOnly(response)
      })
    }
  }

  it('accepts application/json; charset=utf-8 and answers application/json; charset=utf-8', async () => {
    const body = JSON.stringify({ username: account.username, password: PASSWORD })
    const response = await raw('POST', LOGIN, body, 'application/json; charset=utf-8')
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.headers['content-type'], JSON_UTF8)
  })

  it('accepts application/json; charset=utf-8 on registration and profile updates', async () => {
    const created = await raw('POST', REGISTER, JSON.stringify(registration()), 'application/json; charset=utf-8')
    assert.equal(created.statusCode, 201, created.body)
    const updated = await raw('PATCH', UPDATE, JSON.stringify({ first_name: 'Ütf' }), 'application/json; charset=utf-8', account.auth)
    assert.equal(updated.statusCode, 200, updated.body)
    assert.equal(updated.json().first_name, 'Ütf')
  })

  it('answers JSON with charset on success, field errors, 401, 404 and 405 alike', async () => {
    const responses = [
      await send({ method: 'GET', url: `${BASE}/` }),
      await send({ method: 'POST', url: REGISTER, payload: {} }),
      await send({ method: 'GET', url: ME }),
      await send({ method: 'GET', url: '/careers/nope/' }),
      await send({ method: 'PUT', url: UPDATE }),
      await send({ method: 'GET', url: '/health' }),
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
    const response = await send({ method: 'POST', url: REGISTER, payload: registration({ bio: 'x'.repeat(70 * 1024) }) })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('refuses a profile update over 64 KiB with 413 {detail}', async () => {
    const response = await send({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { bio: 'x'.repeat(70 * 1024) } })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('refuses an oversized login body with 413 too', async () => {
    const response = await send({ method: 'POST', url: LOGIN, payload: { username: 'x'.repeat(70 * 1024), password: PASSWORD } })
    assert.equal(response.statusCode, 413, response.body)
    assertDetailOnly(response)
  })

  it('reads a registration just under 64 KiB (400 on the too-long bio, not 413)', async () => {
    const body = JSON.stringify(registration({ bio: 'x'.repeat(64 * 1024 - 300) }))
    assert.ok(Buffer.byteLength(body) < 64 * 1024)
    const response = await raw('POST', REGISTER, body, 'application/json')
    assert.equal(response.statusCode, 400, response.body.slice(0, 200))
    assert.deepEqual(keys(response.json()), ['bio'])
  })

  it('reads a profile update just under 64 KiB (400 on the too-long bio, not 413)', async () => {
    const body = JSON.stringify({ bio: 'x'.repeat(64 * 1024 - 100) })
    assert.ok(Buffer.byteLength(body) < 64 * 1024)
    const response = await raw('PATCH', UPDATE, body, 'application/json', account.auth)
    assert.equal(response.statusCode, 400, response.body.slice(0, 200))
    assert.deepEqual(keys(response.json()), ['bio'])
  })

  it('counts bytes, not characters: 25,000 three-byte characters are over 64 KiB', async () => {
    const response = await send({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { bio: '€'.repeat(25_000) } })
    assert.equal(response.statusCode, 413, response.body.slice(0, 200))
    assertDetailOnly(response)
  })
})

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
      const response = await send({ method, url })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), NOT_PROVIDED)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })

    it(`${method} ${url} with Authorization: Basic → 401 "not provided"`, async () => {
      const response = await send({ method, url, headers: { authorization: 'Basic xyz' } })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), NOT_PROVIDED)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })
  }

  for (const header of ['Bearer', 'Bearer a b', 'Bearer  ', 'bearer not.a.jwt', 'Bearer a.b.c']) {
    it(`Authorization: ${JSON.stringify(header)} → 401 token_not_valid`, async () => {
      const response = await send({ method: 'GET', url: ME, headers: { authorization: header } })
      assert.equal(response.statusCode, 401, response.body)
      assert.deepEqual(response.json(), TOKEN_NOT_VALID)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
    })
  }

  it('every 401 carries WWW-Authenticate, bad logins and bad refresh tokens included', async () => {
    const responses = [
      await send({ method: 'POST', url: LOGIN, payload: { username: uniqueName('nobody'), password: PASSWORD } }),
      await send({ method: 'POST', url: REFRESH, payload: { refresh: 'garbage' } }),
      await send({ method: 'GET', url: `${BASE}/`, headers: { authorization: 'Bearer garbage' } }),
      await send({ method: 'GET', url: `${BASE}/me/followers/` }),
    ]
    for (const response of responses) {
      assert.equal(response.statusCode, 401, response.body)
      assert.equal(response.headers['www-authenticate'], BEARER_CHALLENGE)
      assert.equal(typeof response.json().detail, 'string')
    }
  })
})

describe('hostile input', () => {
  let account: Account

  before(async () => {
    account = await register(ctx.app)
  })

  for (const [method, url, body] of [
    ['POST', REGISTER, '{"__proto__": {"x": 1}, "username": "protouser", "email": "proto@example.com", "password": "password123", "password_confirm": "password123"}'],
    ['POST', LOGIN, '{"__proto__": {"x": 1}, "username": "alice", "password": "password123"}'],
    ['PATCH', UPDATE, '{"__proto__": {"x": 1}, "bio": "b"}'],
    ['POST', FOLLOW, '{"__proto__": {"x": 1}, "following": 1}'],
    ['PATCH', UPDATE, '{"constructor": {"prototype": {"x": 1}}, "bio": "b"}'],
    ['POST', REGISTER, '{"username": {"__proto__": {"x": 1}}}'],
  ] as const) {
    it(`${method} ${url} with a prototype-poisoning body → 4xx, not polluted`, async () => {
      const response = await raw(method, url, body, 'application/json', account.auth)
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`)
      const json = response.json()
      assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json))
      assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is untouched')
    })
  }

  for (const key of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`PATCH me/update with the Object.prototype name "${key}" as a key → 400 on that key, nothing changed`, async () => {
      const before = (await send({ method: 'GET', url: ME, headers: account.auth })).json()
      const response = await raw('PATCH', UPDATE, `{"${key}": 1, "bio": "changed by ${key}"}`, 'application/json', account.auth)
      assert.equal(response.statusCode, 400, response.body)
      assert.deepEqual(response.json(), { [key]: ['This field cannot be changed here.'] })
      const after = (await send({ method: 'GET', url: ME, headers: account.auth })).json()
      assert.equal(after.bio, before.bio)
    })
  }

  it('registration ignores Object.prototype names among its keys', async () => {
    const response = await send({ method: 'POST', url: REGISTER, payload: { ...registration(), toString: 'x', valueOf: 1, hasOwnProperty: null } })
    assert.equal(response.statusCode, 201, response.body)
  })

  it('a proto-poisoning registration does not create the account', async () => {
    const response = await send({ method: 'GET', url: `${BASE}/protouser/` })
    assert.equal(response.statusCode, 404)
  })

  for (const url of [`${BASE}/%E0%A4%A/`, `${BASE}/%/`, `${BASE}/%zz/followers/`, `${BASE}/%E0%A4%A/unfollow/`]) {
    it(`malformed percent-encoding ${url} → 4xx {detail}`, async () => {
      const response = await send({ method: url.endsWith('unfollow/') ? 'DELETE' : 'GET', url, headers: account.auth })
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`)
      assertDetailOnly(response)
    })
  }

  for (const length of [151, 300, 499, 501, 2000]) {
    it(`a username path segment of ${length} characters → 404`, async () => {
      for (const suffix of ['/', '/followers/', '/following/']) {
        const response = await send({ method: 'GET', url: `${BASE}/${'a'.repeat(length)}${suffix}` })
        assert.equal(response.statusCode, 404, `${suffix}: ${response.body}`)
        assert.deepEqual(response.json(), NOT_FOUND)
      }
    })
  }

  for (const segment of ['%00', 'a%00b', '..', '%2e%2e', 'a%2Fb', '%C3%A9t%C3%A9', 'a%20b', '%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80']) {
    it(`an odd username segment ${segment} → 4xx, never 5xx`, async () => {
      const response = await send({ method: 'GET', url: `${BASE}/${segment}/` })
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`)
      const json = response.json()
      assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json), response.body)
      assert.ok(Object.keys(json).length > 0)
    })
  }
})

describe('operations', () => {
  it('GET /health → 200 {"status": "ok"}', async () => {
    const response = await send({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  it('GET /ready → 200', async () => {
    const response = await send({ method: 'GET', url: '/ready' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'ok' })
  })

  it('GET /openapi.json → OpenAPI 3.1 listing every seed path', async () => {
    const response = await send({ method: 'GET', url: '/openapi.json' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^application\/json/)
    const document = response.json()
    assert.match(document.openapi, /^3\.1/)
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
    let response = await send({ method: 'GET', url })
    for (let hops = 0; hops < 3 && [301, 302, 303, 307, 308].includes(response.statusCode); hops++) {
      url = new URL(String(response.headers.location), 'http://localhost/docs').pathname
      response = await send({ method: 'GET', url })
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
      const response = await send(request)
      const id = response.headers['x-request-id']
      if (typeof id !== 'string' || id === '') missing.push(`${request.method} ${String(request.url).slice(0, 60)} (${response.statusCode})`)
      else ids.add(id)
    }
    assert.deepEqual(missing, [], 'responses without x-request-id')
    assert.equal(ids.size, requests.length, 'each request has its own id')
  })
})

describe('emails stay private', () => {
  it('never appear in the users list, public profiles or follower lists', async () => {
    const email = `${uniqueName('secret')}@private-mail.example`
    const owner = await register(ctx.app, { email, first_name: 'Private' })
    const fan = await register(ctx.app)
    assert.equal((await send({ method: 'POST', url: FOLLOW, headers: owner.auth, payload: { following: fan.id } })).statusCode, 201)
    assert.equal((await send({ method: 'POST', url: FOLLOW, headers: fan.auth, payload: { following: owner.id } })).statusCode, 201)

    const list = await send({ method: 'GET', url: `${BASE}/?search=${encodeURIComponent(owner.username)}` })
    assert.equal(list.statusCode, 200)
    const users = list.json().users as Record<string, unknown>[]
    assert.equal(users.length, 1)
    assert.deepEqual(keys(users[0]), ['avatar', 'first_name', 'id', 'is_following', 'last_name', 'username'])

    const everything = await send({ method: 'GET', url: `${BASE}/?batch_size=100`, headers: fan.auth })
    assert.equal(everything.statusCode, 200)
    for (const user of everything.json().users as Record<string, unknown>[]) assert.ok(!('email' in user))

    const profile = await send({ method: 'GET', url: `${BASE}/${owner.username}/`, headers: fan.auth })
    assert.equal(profile.statusCode, 200)
    assert.ok(!('email' in profile.json()))
    assert.deepEqual(keys(profile.json()), [
      'avatar', 'bio', 'created_at', 'first_name', 'followers_count', 'following_count', 'id', 'last_name', 'posts_count', 'username',
    ])

    const followers = await send({ method: 'GET', url: `${BASE}/${fan.username}/followers/` })
    const following = await send({ method: 'GET', url: `${BASE}/${fan.username}/following/` })
    for (const response of [list, everything, profile, followers, following]) {
      assert.equal(response.statusCode, 200)
      assert.ok(!response.body.toLowerCase().includes(email.toLowerCase()), `email leaked: ${response.body.slice(0, 200)}`)
      assert.ok(!response.body.includes('"email"'))
    }
  })
})
