import assert from 'node:assert/strict'
import { before } from 'node:test'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { register, type Account } from './accounts.js'
import { PASSWORD, type TestApp } from './app.js'
import { hostileAuthorization } from './arbitraries.js'
import { checked, type RawRequest } from './checked.js'

/** Runs per property (FUZZ_RUNS=1000 npm test for a longer hunt). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200)

/** The accounts a fuzz suite acts as: `main` (with spare sessions that logout may end), `other`, and a `target`. */
export interface FuzzCast {
  main: Account
  other: Account
  target: Account
  /** Refresh tokens of extra sessions of `main`, for logout to end (never main's own session). */
  spareRefresh: string[]
}

/** Registers the cast before the file's first test. */
export function useFuzzCast(ctx: TestApp): FuzzCast {
  const cast = { spareRefresh: [] as string[] } as FuzzCast
  before(async () => {
    cast.main = await register(ctx.app, { first_name: 'Fuzz', last_name: 'Main', bio: 'the account under test' })
    cast.other = await register(ctx.app)
    cast.target = await register(ctx.app)
    for (let index = 0; index < 3; index++) {
      const login = await ctx.app.inject({
        method: 'POST',
        url: '/careers/users/login/',
        payload: { username: cast.main.username, password: PASSWORD },
      })
      assert.equal(login.statusCode, 200)
      cast.spareRefresh.push(login.json().refresh)
    }
  })
  return cast
}

/** With no token, a good token of either account, or a broken one. */
export function authHeaders(cast: FuzzCast): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 3 },
    { arbitrary: fc.constantFrom(cast.main.auth, cast.other.auth), weight: 4 },
    { arbitrary: fc.constant({ authorization: `Bearer ${cast.main.refresh}` }), weight: 1 },
    { arbitrary: hostileAuthorization.map((authorization) => ({ authorization })), weight: 2 },
  )
}

/** Mostly a good token, sometimes anything `authHeaders` gives. */
export function authenticated(cast: FuzzCast): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(cast.main.auth, cast.other.auth), weight: 5 },
    { arbitrary: authHeaders(cast), weight: 1 },
  )
}

/** Sends one request per generated value and checks the contract's invariants on each answer. */
export async function fuzzRoute<T>(
  app: FastifyInstance,
  arbitrary: fc.Arbitrary<T>,
  toRequest: (value: T) => RawRequest,
  runs = FUZZ_RUNS,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      await checked(app, toRequest(value))
    }),
    { numRuns: runs },
  )
}
