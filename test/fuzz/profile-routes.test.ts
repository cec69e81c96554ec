import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  anyJsonString,
  authenticated,
  bodyFor,
  checked,
  contentType,
  extraKey,
  fuzzRoute,
  FUZZ_RUNS,
  jsonFragment,
  jsonStrings,
  objectText,
  storableString,
  useFuzzCast,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('fuzz: no input makes any route answer 5xx', () => {
  const cast = useFuzzCast(ctx)

  /** Profile changes that pass validation (odd but storable text); `otherEmail` adds a taken address. */
  function validUpdate(otherEmail: boolean) {
    const emails = otherEmail
      ? [cast.main.email, cast.main.email.toUpperCase(), cast.other.email]
      : [cast.main.email, cast.main.email.toUpperCase()]
    return fc.record(
      {
        first_name: storableString(150),
        last_name: storableString(150),
        bio: storableString(1000),
        avatar: fc.oneof(
          fc.webUrl().filter((url) => url.length <= 500),
          fc.constant(null),
          fc.constant(''),
        ),
        email: fc.oneof(
          fc
            .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.integer({ min: 0, max: 1e9 }))
            .map(([local, n]) => `${local}${n}@example.org`),
          fc.constantFrom(...emails),
        ),
      },
      { requiredKeys: [] },
    )
  }

  it('PATCH me/update/', async () => {
    const body = bodyFor(
      {
        first_name: anyJsonString(),
        last_name: anyJsonString(),
        bio: anyJsonString(),
        avatar: fc.oneof(
          fc.webUrl().map((value) => JSON.stringify(value)),
          fc.constantFrom('null', '""'),
          anyJsonString(),
        ),
        email: fc.oneof(
          fc.emailAddress().map((value) => JSON.stringify(value)),
          jsonStrings(cast.main.email, cast.other.email.toUpperCase()),
          anyJsonString(),
        ),
      },
      validUpdate(true),
    )
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, authenticated(cast)), ([payload, type, headers]) => ({
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
      fc.asyncProperty(
        validUpdate(false),
        unknownKeys,
        jsonFragment.filter((text) => text.length < 4_000),
        async (fields, extras, value) => {
          const before = (await checked(ctx.app, { method: 'GET', url: `${BASE}/me/`, headers: cast.main.auth })).json()
          const entries: [string, string][] = [
            ...Object.entries(fields).map(([key, field]): [string, string] => [key, JSON.stringify(field)]),
            ...extras.map((key): [string, string] => [key, value]),
          ]
          const response = await checked(ctx.app, {
            method: 'PATCH',
            url: `${BASE}/me/update/`,
            headers: cast.main.auth,
            body: objectText(entries),
            contentType: 'application/json',
          })
          assert.equal(response.statusCode, 400, response.body)
          const json = response.json()
          // A body that could poison a prototype is refused while parsing, as a whole; otherwise every unknown key is named.
          const poisoning = extras.includes('__proto__') || /"__proto__"|"constructor"/.test(value)
          if (poisoning && 'detail' in json) assert.deepEqual(Object.keys(json), ['detail'])
          else assert.deepEqual(Object.keys(json).sort(), [...extras].sort(), response.body)
          const after = (await checked(ctx.app, { method: 'GET', url: `${BASE}/me/`, headers: cast.main.auth })).json()
          assert.deepEqual(after, before, 'nothing changed')
        },
      ),
      { numRuns: Math.max(20, Math.floor(FUZZ_RUNS / 2)) },
    )
  })
})
