import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  anyJsonString,
  authenticated,
  authHeaders,
  bodyFor,
  contentType,
  fuzzRoute,
  jsonStrings,
  PASSWORD,
  storableString,
  uniqueEmail,
  useFuzzCast,
  useTestApp,
  validUsername,
} from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('fuzz: no input makes any route answer 5xx', () => {
  const cast = useFuzzCast(ctx)

  it('POST register/', async () => {
    // Registrations that pass validation, with odd but storable text: these reach the database.
    const valid = fc.record(
      {
        username: validUsername,
        email: uniqueEmail,
        password: fc.constant(PASSWORD),
        password_confirm: fc.constant(PASSWORD),
        first_name: storableString(150),
        last_name: storableString(150),
        bio: storableString(1000),
        avatar: fc.oneof(
          fc.webUrl().filter((url) => url.length <= 500),
          fc.constant(null),
          fc.constant(''),
        ),
      },
      { requiredKeys: ['username', 'email', 'password', 'password_confirm'] },
    )
    const body = bodyFor(
      {
        username: fc.oneof(
          validUsername.map((value) => JSON.stringify(value)),
          anyJsonString(),
        ),
        email: fc.oneof(
          uniqueEmail.map((value) => JSON.stringify(value)),
          fc.emailAddress().map((value) => JSON.stringify(value)),
          jsonStrings(cast.main.email, cast.main.email.toUpperCase()),
        ),
        password: jsonStrings(PASSWORD),
        password_confirm: fc.oneof(jsonStrings(PASSWORD), anyJsonString()),
        first_name: anyJsonString(),
        last_name: anyJsonString(),
        bio: anyJsonString(),
        avatar: fc.oneof(
          fc.webUrl().map((value) => JSON.stringify(value)),
          fc.constantFrom('null', '""'),
          anyJsonString(),
        ),
      },
      valid,
    )
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, fc.boolean()), ([payload, type, slash]) => ({
      method: 'POST',
      url: `${BASE}/register${slash ? '/' : ''}`,
      body: payload,
      contentType: type,
    }))
  })

  it('POST login/', async () => {
    const body = bodyFor({
      username: fc.oneof(
        jsonStrings(cast.main.username, cast.main.email, cast.main.username.toUpperCase(), cast.other.email),
        anyJsonString(),
      ),
      password: fc.oneof(jsonStrings(PASSWORD, 'wrong-password'), anyJsonString()),
    })
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, authHeaders(cast)), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/login/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('POST token/refresh/', async () => {
    const body = bodyFor({
      refresh: fc.oneof(
        jsonStrings(cast.main.refresh, cast.other.refresh, cast.main.access, `${cast.main.refresh}x`, 'a.b.c'),
        anyJsonString(),
      ),
    })
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, authHeaders(cast)), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/token/refresh/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })

  it('POST logout/', async () => {
    const body = bodyFor({
      refresh: fc.oneof(
        jsonStrings(...cast.spareRefresh, cast.other.refresh, cast.main.access, `${cast.spareRefresh[0]}x`),
        anyJsonString(),
      ),
    })
    await fuzzRoute(ctx.app, fc.tuple(body, contentType, authenticated(cast)), ([payload, type, headers]) => ({
      method: 'POST',
      url: `${BASE}/logout/`,
      headers,
      body: payload,
      contentType: type,
    }))
  })
})
