import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  api,
  assertInternalError,
  getMe,
  login,
  PASSWORD,
  register,
  registration,
  uniqueName,
  useTestApp,
  withForcedFailure,
} from '../support/index.js'

// A failure forced inside each write route's own transaction (a trigger that raises after its first write)
// answers the contract's 500 and leaves nothing behind.
const ctx = useTestApp()
const BASE = '/careers/users'

async function sessionCount(): Promise<number> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('rollback of the auth write routes', () => {
  it('register: a failure opening the session leaves no user row and no session', async () => {
    const body = registration({ username: uniqueName('rollback') })
    const key = String(body.username).toLowerCase()
    const sessionsBefore = await sessionCount()
    const answer = await withForcedFailure(
      ctx.db,
      {
        table: 'sessions',
        on: 'insert',
        when: `exists (select 1 from users where users.id = new.user_id and users.username_key = '${key}')`,
      },
      () => api(ctx.app).post(`${BASE}/register/`, { body }),
    )
    assertInternalError(answer)
    const rows = await ctx.db.selectFrom('users').select('id').where('username_key', '=', key).execute()
    assert.deepEqual(rows, [], 'the user row written first was rolled back')
    assert.equal(await sessionCount(), sessionsBefore)
    assert.equal((await api(ctx.app).get(`${BASE}/${String(body.username)}/`)).status, 404)
    // Nothing half-made blocks the same registration afterwards.
    assert.equal((await api(ctx.app).post(`${BASE}/register/`, { body })).status, 201)
  })

  it('login: a failure writing the session opens none, and the old sessions still work', async () => {
    const account = await register(ctx.app)
    const answer = await withForcedFailure(ctx.db, { table: 'sessions', on: 'insert', when: `new.user_id = ${account.id}` }, () =>
      api(ctx.app).post(`${BASE}/login/`, { body: { username: account.username, password: PASSWORD } }),
    )
    assertInternalError(answer)
    const rows = await ctx.db.selectFrom('sessions').select('id').where('user_id', '=', account.id).execute()
    assert.equal(rows.length, 1, 'only the registration session')
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 200)
  })

  it('token/refresh: a failure touching the session leaves last_used_at as it was', async () => {
    const account = await register(ctx.app)
    const before = await ctx.db.selectFrom('sessions').select(['id', 'last_used_at']).where('user_id', '=', account.id).execute()
    const answer = await withForcedFailure(ctx.db, { table: 'sessions', on: 'update', when: `old.user_id = ${account.id}` }, () =>
      api(ctx.app).post(`${BASE}/token/refresh/`, { body: { refresh: account.refresh } }),
    )
    assertInternalError(answer)
    const after = await ctx.db.selectFrom('sessions').select(['id', 'last_used_at']).where('user_id', '=', account.id).execute()
    assert.deepEqual(after, before)
    assert.equal((await api(ctx.app).post(`${BASE}/token/refresh/`, { body: { refresh: account.refresh } })).status, 200)
  })

  it('logout: a failure ending the session leaves it open (refresh and access still work)', async () => {
    const account = await register(ctx.app)
    const answer = await withForcedFailure(ctx.db, { table: 'sessions', on: 'delete', when: `old.user_id = ${account.id}` }, () =>
      api(ctx.app).post(`${BASE}/logout/`, { as: account, body: { refresh: account.refresh } }),
    )
    assertInternalError(answer)
    assert.equal((await getMe(ctx.app, account.access)).statusCode, 200, 'the access token still works')
    assert.equal((await api(ctx.app).post(`${BASE}/token/refresh/`, { body: { refresh: account.refresh } })).status, 200)
    const logout = await api(ctx.app).post(`${BASE}/logout/`, { as: account, body: { refresh: account.refresh } })
    assert.equal(logout.status, 200)
  })
})

describe("cannot act on another user's sessions", () => {
  it("logout with another user's refresh token is refused with 400 and ends nothing", async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const answer = await api(ctx.app).post(`${BASE}/logout/`, { as: alice, body: { refresh: bob.refresh } })
    assert.equal(answer.status, 400)
    assert.equal(typeof answer.json.detail, 'string')
    assert.equal((await getMe(ctx.app, bob.access)).statusCode, 200)
    assert.equal((await api(ctx.app).post(`${BASE}/token/refresh/`, { body: { refresh: bob.refresh } })).status, 200)
    assert.equal((await getMe(ctx.app, alice.access)).statusCode, 200)
  })

  it("a second session of the same user can end the first (it is the caller's own)", async () => {
    const alice = await register(ctx.app)
    const second = await login(ctx.app, alice)
    assert.equal((await api(ctx.app).post(`${BASE}/logout/`, { as: second, body: { refresh: alice.refresh } })).status, 200)
    assert.equal((await getMe(ctx.app, alice.access)).statusCode, 401)
    assert.equal((await getMe(ctx.app, second.access)).statusCode, 200)
  })
})
