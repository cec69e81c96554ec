import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { HTTPMethods, LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import { PASSWORD, register, useTestApp, type Account } from '../helper.js'

/**
 * Property-based fuzzing of every route: whatever the body, query string, path segment or token,
 * the answer is never a 5xx, and every error is a DRF-style JSON object.
 * PostgreSQL is the dialect that matters: it refuses NUL bytes, invalid UTF-8 and out-of-range integers
 * that SQLite stores without complaint.
 */

const ctx = useTestApp()
const BASE = '/careers/users'
const RUNS = Number(process.env.FUZZ_RUNS ?? 200)
const JSON_UTF8 = 'application/json; charset=utf-8'

interface Request {
  method: HTTPMethods
  url: string
  headers?: Record<string, string>
  /** Raw body text; undefined sends no body at all. */
  body?: string
  contentType?: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeRequest(request: Request, response: LightMyRequestResponse): string {
  const body = request.body === undefined ? '' : ` body=${request.body.slice(0, 300)}`
  const auth = request.headers?.authorization === undefined ? '' : ` auth=${request.headers.authorization.slice(0, 40)}`
  return `${request.method} ${request.url.slice(0, 300)}${auth}${body} → ${response.statusCode} ${response.body.slice(0, 300)}`
}

/** Sends the request and asserts the contract's invariants: no 5xx, JSON object bodies, DRF error shapes. */
async function check(request: Request): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.body !== undefined && request.contentType !== undefined) headers['content-type'] = request.contentType
  const response = await ctx.app.inject({ method: request.method, url: request.url, headers, payload: request.body })
  const where = describeRequest(request, response)
  assert.ok(response.statusCode < 500, `5xx: ${where}`)
  assert.equal(response.headers['content-type'], JSON_UTF8, `content type: ${where}`)
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    assert.fail(`not JSON: ${where}`)
  }
  assert.ok(isObject(json), `not a JSON object: ${where}`)
  if (response.statusCode >= 400) assertErrorShape(json, where)
  return response
}

/** `{"detail": "...", "code"?: "..."}`, or `{"field": ["message", ...], ...}`. */
function assertErrorShape(json: Record<string, unknown>, where: string): void {
  const fields = Object.keys(json)
  assert.ok(fields.length > 0, `empty error body: ${where}`)
  if ('detail' in json) {
    assert.equal(typeof json.detail, 'string', where)
    for (const field of fields) {
      assert.ok(field === 'detail' || field === 'code', `unexpected key ${field} beside detail: ${where}`)
      assert.equal(typeof json[field], 'string', where)
    }
    return
  }
  for (const field of fields) {
    const messages = json[field]
    assert.ok(Array.isArray(messages) && messages.length > 0, `field ${field} is not a list of messages: ${where}`)
    for (const message of messages) assert.equal(typeof message, 'string', where)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

/** Percent-encodes every byte but the unreserved ones (a lone surrogate becomes U+FFFD's bytes). */
function percentEncode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

const oddChar = fc.constantFrom(
  '\u0000', '\u0001', '\u001f', '\u007f', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffe', '\uffff', '\u202e', '\u200b',
  '\u00e9', '\u0130', '\u00df', '\ufb03', '😀', '%', '_', '\\', '"', "'", '`', ' ', '/', '?', '#', '&', '=', '+', ';',
  '\n', '\r', '\t', '*', '(', ')', '[', ']', '{', '}', ':', '<', '>', '$', 'a', 'Z', '0', '9', '.', '@', '-',
)

const longString = fc
  .tuple(fc.constantFrom('x', 'é', '\u0000', '\ud800', '%', '€', '😀', 'ab'), fc.integer({ min: 150, max: 40_000 }))
  .map(([char, count]) => char.repeat(count))

const hugeString = fc
  .tuple(fc.constantFrom('x', '€'), fc.integer({ min: 66_000, max: 80_000 }))
  .map(([char, count]) => char.repeat(count))

const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: oddChar, maxLength: 40 }), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: longString, weight: 1 },
)

/** Text a column must store and give back: odd characters (no NUL, which the API refuses), within `max` characters. */
function storableString(max: number): fc.Arbitrary<string> {
  const unit = oddChar.filter((char) => char !== '\u0000')
  return fc.oneof(
    fc.string({ unit, maxLength: Math.min(max, 60) }),
    fc.string({ unit: 'binary', maxLength: Math.min(max, 60) }).filter((value) => !value.includes('\u0000')),
    fc.tuple(unit, fc.integer({ min: 1, max })).map(([char, count]) => char.repeat(count).slice(0, max)),
  )
}

const numberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-123456789012345678901234567890', '-0', '0', '1.0', '1.5',
    '-1', '9007199254740991', '9007199254740993', '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967296',
    '9223372036854775807', '9223372036854775808', '-9223372036854775809', '1E2', '1e308', '0.0000001', '5e-324',
  ),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
)

/** Any JSON value, as text (so that literals JSON.stringify cannot write, like 1e400, get through). */
const jsonFragment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: oddString.map((value) => JSON.stringify(value)), weight: 5 },
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), weight: 2 },
  {
    arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '[null]', '["x"]', '{"a":{"b":[1,{"c":null}]}}', '{"__proto__":{"x":1}}'),
    weight: 1,
  },
  { arbitrary: fc.integer({ min: 1, max: 5_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`), weight: 1 },
)

/** Keys a route does not take: prototype names (which a plain-object lookup would find), mass assignment, odd text. */
const extraKey = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__',
      'id', 'is_staff', 'is_active', 'username', 'password', '', ' ', 'created_at', 'followers_count',
    ),
    weight: 2,
  },
  { arbitrary: oddString.filter((key) => key.length < 100), weight: 1 },
)

/** An object body as raw JSON text from [key, raw value] pairs (duplicate keys allowed, as on the wire). */
function objectText(entries: [string, string][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`
}

/**
 * Bodies for a route whose real keys are `fields` (each with a plausible value generator, as raw JSON text):
 * plausible records, records with hostile values and extra keys, arbitrary JSON, and garbage.
 */
function bodyFor(fields: Record<string, fc.Arbitrary<string>>, valid?: fc.Arbitrary<object>): fc.Arbitrary<string | undefined> {
  const valueFor = (plausible: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: jsonFragment, weight: 1 })
  const model = Object.fromEntries(Object.entries(fields).map(([key, plausible]) => [key, valueFor(plausible)]))
  const extras = fc.array(fc.tuple(extraKey, jsonFragment), { maxLength: 3 })
  const record = (allRequired: boolean) =>
    fc
      .tuple(fc.record(model, allRequired ? {} : { requiredKeys: [] }), fc.oneof(fc.constant([] as [string, string][]), extras))
      .map(([values, more]) => objectText([...(Object.entries(values) as [string, string][]), ...more]))
  return fc.oneof(
    { arbitrary: valid === undefined ? record(true) : valid.map((value) => JSON.stringify(value)), weight: 6 },
    { arbitrary: record(true), weight: 6 },
    { arbitrary: record(false), weight: 4 },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 2 },
    { arbitrary: fc.object().map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: jsonFragment, weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: hugeString.map((value) => objectText([[Object.keys(fields)[0] ?? 'x', JSON.stringify(value)]])), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
}

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8', 'application/json; charset=latin1',
      'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', '', ';', 'application/',
    ),
    weight: 2,
  },
)

const queryKey = fc.oneof(
  { arbitrary: fc.constantFrom('batch_size', 'batch_number', 'ordering', 'search', 'first_name', 'last_name'), weight: 6 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'batch_size[]', 'search[a]', ''), weight: 1 },
  { arbitrary: oddString.filter((key) => key.length < 50), weight: 1 },
)

const queryValue = fc.oneof(
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: oddString, weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'username', '-username', 'created_at', '-created_at', 'first_name', '-first_name', 'last_name', '-last_name', '--username',
      'id', '-', '', ' 10', '10 ', '0x10', '1_000', '١٢', 'NaN', 'Infinity', '+5', '00', '-0', '1.', '.5',
    ),
    weight: 3,
  },
)

/** Byte sequences a percent-decoder must survive: invalid UTF-8, overlong NUL, encoded surrogates, broken escapes. */
const brokenEscape = fc.constantFrom('%ED%A0%80', '%ED%BF%BF', '%FF', '%C0%80', '%C3', '%00', '%', '%zz', '%E0%A4%A', '%2', '%%', '%25')

const queryString: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }),
    fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, { arbitrary: brokenEscape, weight: 1 }),
    fc.boolean(),
  )
  .map(([pairs, broken, bare]) => {
    const parts = pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    if (broken !== '') parts.push(bare ? broken : `search=${broken}`)
    return parts.length === 0 ? '' : `?${parts.join('&')}`
  })

/** Printable-ASCII Authorization values that are not ours: other schemes, broken Bearer headers, JWT look-alikes. */
const hostileAuthorization = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Basic abc', 'bearer x', 'Token abc', 'Bearer ....', 'Bearer e30.e30.', ''),
  fc.stringMatching(/^[\x20-\x7e]{0,200}$/).map((value) => `Bearer ${value}`),
  fc.stringMatching(/^[\x21-\x7e]{0,200}$/),
  fc
    .tuple(fc.jsonValue(), fc.jsonValue(), fc.base64String({ maxLength: 40 }))
    .map(([header, claims, signature]) => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')
      return `Bearer ${part(header)}.${part(claims)}.${signature.replace(/=+$/, '')}`
    }),
)

const segmentOf = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known, 'me', 'ME', 'Me', 'register', 'follow', 'followers', 'unfollow', 'nobody-here'), weight: 4 },
    { arbitrary: fc.webSegment(), weight: 2 },
    { arbitrary: oddString.map(percentEncode), weight: 2 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9@.+_-]{1,200}$/), weight: 2 },
    { arbitrary: brokenEscape, weight: 1 },
    { arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%2Fb', '%20', 'x'.repeat(501), 'x'.repeat(1_000)), weight: 1 },
  )

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

describe('fuzz: no input makes any route answer 5xx', () => {
  let main: Account
  let other: Account
  let target: Account
  /** Refresh tokens of extra sessions of `main`, for logout to end (never main's own session). */
  const spareRefresh: string[] = []

  before(async () => {
    main = await register(ctx.app, { first_name: 'Fuzz', last_name: 'Main', bio: 'the account under test' })
    other = await register(ctx.app)
    target = await register(ctx.app)
    for (let index = 0; index < 3; index++) {
      const login = await ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username: main.username, password: PASSWORD } })
      assert.equal(login.statusCode, 200)
      spareRefresh.push(login.json().refresh)
    }
  })

  /** With no token, a good token of either account, or a broken one. */
  function authHeaders(): fc.Arbitrary<Record<string, string>> {
    return fc.oneof(
      { arbitrary: fc.constant({}), weight: 3 },
      { arbitrary: fc.constantFrom(main.auth, other.auth), weight: 4 },
      { arbitrary: fc.constant({ authorization: `Bearer ${main.refresh}` }), weight: 1 },
      { arbitrary: hostileAuthorization.map((authorization) => ({ authorization })), weight: 2 },
    )
  }

  function authenticated(): fc.Arbitrary<Record<string, string>> {
    return fc.oneof({ arbitrary: fc.constantFrom(main.auth, other.auth), weight: 5 }, { arbitrary: authHeaders(), weight: 1 })
  }

  const strings = (...values: string[]) => fc.constantFrom(...values.map((value) => JSON.stringify(value)))
  const anyString = () => oddString.map((value) => JSON.stringify(value))

  async function fuzz<T>(arbitrary: fc.Arbitrary<T>, toRequest: (value: T) => Request, runs = RUNS): Promise<void> {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        await check(toRequest(value))
      }),
      { numRuns: runs },
    )
  }

  it('POST register/', async () => {
    const username = fc.stringMatching(/^[A-Za-z0-9@.+_-]{3,40}$/)
    const uniqueEmail = fc
      .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.integer({ min: 0, max: 1e9 }))
      .map(([local, n]) => `${local}${n}@example.com`)
    // Registrations that pass validation, with odd but storable text: these reach the database.
    const valid = fc.record(
      {
        username,
        email: uniqueEmail,
        password: fc.constant(PASSWORD),
        password_confirm: fc.constant(PASSWORD),
        first_name: storableString(150),
        last_name: storableString(150),
        bio: storableString(1000),
        avatar: fc.oneof(fc.webUrl().filter((url) => url.length <= 500), fc.constant(null), fc.constant('')),
      },
      { requiredKeys: ['username', 'email', 'password', 'password_confirm'] },
    )
    const body = bodyFor({
      username: fc.oneof(username.map((value) => JSON.stringify(value)), anyString()),
      email: fc.oneof(
        uniqueEmail.map((value) => JSON.stringify(value)),
        fc.emailAddress().map((value) => JSON.stringify(value)),
        strings(main.email, main.email.toUpperCase()),
      ),
      password: strings(PASSWORD),
      password_confirm: fc.oneof(strings(PASSWORD), anyString()),
      first_name: anyString(),
      last_name: anyString(),
      bio: anyString(),
      avatar: fc.oneof(fc.webUrl().map((value) => JSON.stringify(value)), fc.constantFrom('null', '""'), anyString()),
    }, valid)
    await fuzz(fc.tuple(body, contentType, fc.boolean()), ([payload, type, slash]) => ({
      method: 'POST',
      url: `${BASE}/register${slash ? '/' : ''}`,
      body: payload,
      contentType: type,
    }))
  })

  it('POST login/', async () => {
    const body = bodyFor({
      username: fc.oneof(strings(main.username, main.email, main.username.toUpperCase(), other.email), anyString()),
      password: fc.oneof(strings(PASSWORD, 'wrong-password'), anyString()),
    })
    await fuzz(fc.tuple(body, contentType, authHeaders()), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/login/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('POST token/refresh/', async () => {
    const body = bodyFor({ refresh: fc.oneof(strings(main.refresh, other.refresh, main.access, `${main.refresh}x`, 'a.b.c'), anyString()) })
    await fuzz(fc.tuple(body, contentType, authHeaders()), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/token/refresh/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('POST logout/', async () => {
    const body = bodyFor({ refresh: fc.oneof(strings(...spareRefresh, other.refresh, main.access, `${spareRefresh[0]}x`), anyString()) })
    await fuzz(fc.tuple(body, contentType, authenticated()), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/logout/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('POST follow/', async () => {
    const ids = [main.id, other.id, target.id].map(String)
    const body = bodyFor({ following: fc.oneof(fc.constantFrom(...ids, '0', '-1', `${target.id}.0`, `"${target.id}"`), numberLiteral) })
    await fuzz(fc.tuple(body, contentType, authenticated()), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/follow/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  /** Profile changes that pass validation (odd but storable text); `otherEmail` adds a taken address. */
  function validUpdate(otherEmail: boolean) {
    const emails = otherEmail ? [main.email, main.email.toUpperCase(), other.email] : [main.email, main.email.toUpperCase()]
    return fc.record(
      {
        first_name: storableString(150),
        last_name: storableString(150),
        bio: storableString(1000),
        avatar: fc.oneof(fc.webUrl().filter((url) => url.length <= 500), fc.constant(null), fc.constant('')),
        email: fc.oneof(
          fc.tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.integer({ min: 0, max: 1e9 })).map(([local, n]) => `${local}${n}@example.org`),
          fc.constantFrom(...emails),
        ),
      },
      { requiredKeys: [] },
    )
  }

  it('PATCH me/update/', async () => {
    const body = bodyFor(
      {
        first_name: anyString(),
        last_name: anyString(),
        bio: anyString(),
        avatar: fc.oneof(fc.webUrl().map((value) => JSON.stringify(value)), fc.constantFrom('null', '""'), anyString()),
        email: fc.oneof(fc.emailAddress().map((value) => JSON.stringify(value)), strings(main.email, other.email.toUpperCase()), anyString()),
      },
      validUpdate(true),
    )
    await fuzz(fc.tuple(body, contentType, authenticated()), ([payload, type, headers]) => ({
      method: 'PATCH',
      url: `${BASE}/me/update/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('PATCH me/update/ refuses every unknown key, whatever its name, with 400 on that key and changes nothing', async () => {
    const allowed = new Set(['first_name', 'last_name', 'bio', 'avatar', 'email'])
    const unknownKeys = fc.uniqueArray(
      extraKey.filter((key) => !allowed.has(key)),
      { minLength: 1, maxLength: 3 },
    )
    await fc.assert(
      fc.asyncProperty(validUpdate(false), unknownKeys, jsonFragment.filter((text) => text.length < 4_000), async (fields, extras, value) => {
        const before = (await check({ method: 'GET', url: `${BASE}/me/`, headers: main.auth })).json()
        const entries: [string, string][] = [
          ...Object.entries(fields).map(([key, field]): [string, string] => [key, JSON.stringify(field)]),
          ...extras.map((key): [string, string] => [key, value]),
        ]
        const response = await check({
          method: 'PATCH',
          url: `${BASE}/me/update/`,
          headers: main.auth,
          body: objectText(entries),
          contentType: 'application/json',
        })
        assert.equal(response.statusCode, 400, response.body)
        const json = response.json()
        // A body that could poison a prototype is refused while parsing, as a whole; otherwise every unknown key is named.
        const poisoning = extras.includes('__proto__') || /"__proto__"|"constructor"/.test(value)
        if (poisoning && 'detail' in json) assert.deepEqual(Object.keys(json), ['detail'])
        else assert.deepEqual(Object.keys(json).sort(), [...extras].sort(), response.body)
        const after = (await check({ method: 'GET', url: `${BASE}/me/`, headers: main.auth })).json()
        assert.deepEqual(after, before, 'nothing changed')
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 2)) },
    )
  })

  it('DELETE {username}/unfollow/', async () => {
    const segment = segmentOf([target.username, target.username.toUpperCase(), main.username, other.username])
    const body = fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: bodyFor({ username: anyString() }), weight: 1 })
    await fuzz(fc.tuple(segment, authenticated(), body, fc.boolean()), ([name, headers, payload, slash]) => ({
      method: 'DELETE',
      url: `${BASE}/${name}/unfollow${slash ? '/' : ''}`,
      headers,
      body: payload,
      contentType: 'application/json',
    }))
  })

  it('GET the users list with arbitrary query strings', async () => {
    await fuzz(fc.tuple(queryString, authHeaders(), fc.boolean()), ([query, headers, slash]) => ({
      method: 'GET',
      url: `${BASE}${slash ? '/' : ''}${query}`,
      headers,
    }))
  })

  it('GET {username}/, {username}/followers/, {username}/following/', async () => {
    const segment = segmentOf([main.username, main.username.toUpperCase(), other.username, target.username])
    const suffix = fc.constantFrom('/', '/followers/', '/following/', '/followers', '/following')
    await fuzz(fc.tuple(segment, suffix, queryString, authHeaders()), ([name, tail, query, headers]) => ({
      method: 'GET',
      url: `${BASE}/${name}${tail}${query}`,
      headers,
    }))
  })

  it('GET me/, me/stats/, following/ with arbitrary tokens and query strings', async () => {
    const path = fc.constantFrom('/me/', '/me/stats/', '/following/', '/me', '/following')
    await fuzz(fc.tuple(path, queryString, authHeaders()), ([route, query, headers]) => ({
      method: 'GET',
      url: `${BASE}${route}${query}`,
      headers,
    }))
  })

  it('any method on any path under /careers/users/', async () => {
    const method = fc.constantFrom<HTTPMethods>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
    const segments = fc.array(segmentOf([main.username, target.username]), { minLength: 0, maxLength: 4 })
    const body = fc.option(bodyFor({ following: numberLiteral, refresh: anyString(), bio: anyString() }), { nil: undefined })
    await fuzz(fc.tuple(method, segments, queryString, authHeaders(), body), ([verb, parts, query, headers, payload]) => ({
      method: verb,
      url: `${BASE}/${parts.join('/')}${query}`,
      headers,
      body: payload,
      contentType: 'application/json',
    }))
  })

  it('leaves the counts of the accounts it touched exact', async () => {
    assert.equal((await check({ method: 'GET', url: `${BASE}/me/`, headers: main.auth })).statusCode, 200, "main's session survived")
    for (const account of [main, other, target]) {
      const profile = (await check({ method: 'GET', url: `${BASE}/${account.username}/` })).json()
      const followers = (await check({ method: 'GET', url: `${BASE}/${account.username}/followers/?batch_size=1000` })).json()
      const following = (await check({ method: 'GET', url: `${BASE}/${account.username}/following/?batch_size=1000` })).json()
      assert.equal(profile.followers_count, followers.count, `${account.username} followers_count`)
      assert.equal(profile.following_count, following.count, `${account.username} following_count`)
      assert.equal(followers.results.length, followers.count)
      assert.equal(following.results.length, following.count)
    }
    const me = (await check({ method: 'GET', url: `${BASE}/me/`, headers: main.auth })).json()
    const stats = (await check({ method: 'GET', url: `${BASE}/me/stats/`, headers: main.auth })).json()
    const mine = (await check({ method: 'GET', url: `${BASE}/following/?batch_size=1000`, headers: main.auth })).json()
    assert.equal(stats.followers_count, me.followers_count)
    assert.equal(stats.following_count, me.following_count)
    assert.equal(mine.count, me.following_count)
  })
})

describe('fuzz: the follow graph against a model', () => {
  const users: Account[] = []

  before(async () => {
    for (let index = 0; index < 4; index++) users.push(await register(ctx.app))
  })

  async function followingIds(account: Account): Promise<Set<number>> {
    const response = await check({ method: 'GET', url: `${BASE}/following/?batch_size=1000`, headers: account.auth })
    return new Set((response.json().results as { following: number }[]).map((follow) => follow.following))
  }

  async function assertCountsMatch(model: Map<number, Set<number>>): Promise<void> {
    for (const account of users) {
      const follows = model.get(account.id)!
      const followers = users.filter((other) => model.get(other.id)!.has(account.id)).length
      const profile = (await check({ method: 'GET', url: `${BASE}/${account.username}/` })).json()
      assert.equal(profile.following_count, follows.size, `${account.username} following_count`)
      assert.equal(profile.followers_count, followers, `${account.username} followers_count`)
      const listed = (await check({ method: 'GET', url: `${BASE}/${account.username}/followers/` })).json()
      assert.equal(listed.count, followers)
      assert.deepEqual(
        new Set((listed.results as { id: number }[]).map((user) => user.id)),
        new Set(users.filter((other) => model.get(other.id)!.has(account.id)).map((other) => other.id)),
      )
    }
  }

  it('follow and unfollow sequences answer 201/400 and 200/400 exactly as a set model says', async () => {
    const operation = fc.record({
      kind: fc.constantFrom('follow', 'unfollow'),
      from: fc.integer({ min: 0, max: 3 }),
      to: fc.integer({ min: 0, max: 3 }),
      upper: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 15 }), async (operations) => {
        const model = new Map<number, Set<number>>()
        for (const account of users) model.set(account.id, await followingIds(account))
        for (const { kind, from, to, upper } of operations) {
          const follower = users[from]!
          const followee = users[to]!
          const follows = model.get(follower.id)!
          if (kind === 'follow') {
            const response = await check({
              method: 'POST',
              url: `${BASE}/follow/`,
              headers: follower.auth,
              body: JSON.stringify({ following: followee.id }),
              contentType: 'application/json',
            })
            const expected = follower.id === followee.id || follows.has(followee.id) ? 400 : 201
            assert.equal(response.statusCode, expected, response.body)
            if (expected === 201) follows.add(followee.id)
          } else {
            const name = upper ? followee.username.toUpperCase() : followee.username
            const response = await check({ method: 'DELETE', url: `${BASE}/${name}/unfollow/`, headers: follower.auth })
            const expected = follows.has(followee.id) ? 200 : 400
            assert.equal(response.statusCode, expected, response.body)
            if (expected === 200) {
              assert.deepEqual(response.json(), { message: `Stopped following ${followee.username}` })
              follows.delete(followee.id)
            }
          }
        }
        await assertCountsMatch(model)
      }),
      { numRuns: Math.max(10, Math.floor(RUNS / 4)) },
    )
  })

  it('concurrent duplicate follows and unfollows: exactly one succeeds, the rest answer 400, counts stay exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 2, max: 6 }),
        async (from, to, copies) => {
          fc.pre(from !== to)
          const follower = users[from]!
          const followee = users[to]!
          // Start from "not following".
          await check({ method: 'DELETE', url: `${BASE}/${followee.username}/unfollow/`, headers: follower.auth })
          const follows = await Promise.all(
            Array.from({ length: copies }, () =>
              check({
                method: 'POST',
                url: `${BASE}/follow/`,
                headers: follower.auth,
                body: JSON.stringify({ following: followee.id }),
                contentType: 'application/json',
              }),
            ),
          )
          assert.deepEqual(follows.map((response) => response.statusCode).sort(), [201, ...Array(copies - 1).fill(400)])
          const unfollows = await Promise.all(
            Array.from({ length: copies }, () =>
              check({ method: 'DELETE', url: `${BASE}/${followee.username}/unfollow/`, headers: follower.auth }),
            ),
          )
          assert.deepEqual(unfollows.map((response) => response.statusCode).sort(), [200, ...Array(copies - 1).fill(400)])
          const model = new Map<number, Set<number>>()
          for (const account of users) model.set(account.id, await followingIds(account))
          await assertCountsMatch(model)
        },
      ),
      { numRuns: Math.max(10, Math.floor(RUNS / 10)) },
    )
  })
})
