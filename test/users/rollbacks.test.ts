import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { api, assertInternalError, register, useTestApp, withForcedFailure } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('rollback of PATCH me/update/', () => {
  it('a failure inside the update leaves the profile as it was', async () => {
    const account = await register(ctx.app, { first_name: 'Before', bio: 'Old bio' })
    const before = (await api(ctx.app).get(`${BASE}/me/`, { as: account })).json
    const answer = await withForcedFailure(ctx.db, { table: 'users', on: 'update', when: `old.id = ${account.id}` }, () =>
      api(ctx.app).patch(`${BASE}/me/update/`, {
        as: account,
        body: { first_name: 'After', bio: 'New bio', email: `new.${account.email}` },
      }),
    )
    assertInternalError(answer)
    assert.deepEqual((await api(ctx.app).get(`${BASE}/me/`, { as: account })).json, before)
  })

  it('an account deleted between its token check and the update answers 401 token_not_valid, not 500', async () => {
    const account = await register(ctx.app)
    const answer = await withForcedFailure(
      ctx.db,
      { table: 'users', on: 'update', when: `old.id = ${account.id}`, effect: 'skip' },
      () => api(ctx.app).patch(`${BASE}/me/update/`, { as: account, body: { bio: 'gone' } }),
    )
    assert.equal(answer.status, 401, answer.text)
    assert.equal(answer.json.code, 'token_not_valid')
  })
})

describe("cannot change another user's profile", () => {
  it('naming another id or username is refused, and that account is untouched', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app, { bio: "Bob's bio" })
    const bobBefore = (await api(ctx.app).get(`${BASE}/me/`, { as: bob })).json
    for (const body of [
      { id: bob.id, bio: 'hijacked' },
      { username: bob.username, bio: 'hijacked' },
    ]) {
      const answer = await api(ctx.app).patch(`${BASE}/me/update/`, { as: alice, body })
      assert.equal(answer.status, 400, answer.text)
    }
    const changed = await api(ctx.app).patch(`${BASE}/me/update/`, { as: alice, body: { bio: 'mine' } })
    assert.equal(changed.json.id, alice.id)
    assert.deepEqual((await api(ctx.app).get(`${BASE}/me/`, { as: bob })).json, bobBefore)
  })
})
