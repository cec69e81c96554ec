import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  api,
  assertInternalError,
  connections,
  counts,
  followOk,
  register,
  useTestApp,
  USERS,
  withForcedFailure,
  type Account,
} from '../support/index.js'

// The seam raises on the counter update of the higher-id user: counters move in id order, so by then the
// follow row and the lower-id user's counter have been written in the same transaction.
const ctx = useTestApp()

function counterOfHigher(a: Account, b: Account): string {
  const higher = Math.max(a.id, b.id)
  return `old.id = ${higher} and (new.followers_count <> old.followers_count or new.following_count <> old.following_count)`
}

async function followRows(follower: Account, following: Account): Promise<number> {
  const rows = await ctx.db
    .selectFrom('follows')
    .select('id')
    .where('follower_id', '=', follower.id)
    .where('following_id', '=', following.id)
    .execute()
  return rows.length
}

describe('rollback of the follow write routes', () => {
  it('follow: a failure after the row is written leaves no row and both counters unchanged', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const answer = await withForcedFailure(ctx.db, { table: 'users', on: 'update', when: counterOfHigher(alice, bob) }, () =>
      api(ctx.app).post(`${USERS}/follow/`, { as: alice, body: { following: bob.id } }),
    )
    assertInternalError(answer)
    assert.equal(await followRows(alice, bob), 0)
    assert.deepEqual(await counts(ctx.app, alice), { followers: 0, following: 0 })
    assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 0 })
    assert.deepEqual((await connections(ctx.app, bob.username, 'followers')).json(), { count: 0, results: [] })
    // Nothing half-made: the same follow succeeds afterwards.
    await followOk(ctx.app, alice, bob)
    assert.deepEqual(await counts(ctx.app, bob), { followers: 1, following: 0 })
  })

  it('unfollow: a failure after the row is deleted keeps the follow and both counters', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, alice, bob)
    const answer = await withForcedFailure(ctx.db, { table: 'users', on: 'update', when: counterOfHigher(alice, bob) }, () =>
      api(ctx.app).del(`${USERS}/${bob.username}/unfollow/`, { as: alice }),
    )
    assertInternalError(answer)
    assert.equal(await followRows(alice, bob), 1)
    assert.deepEqual(await counts(ctx.app, alice), { followers: 0, following: 1 })
    assert.deepEqual(await counts(ctx.app, bob), { followers: 1, following: 0 })
    assert.equal((await api(ctx.app).del(`${USERS}/${bob.username}/unfollow/`, { as: alice })).status, 200)
    assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 0 })
  })
})

describe("cannot act on another user's follows", () => {
  it('a follow body naming another follower still makes the caller the follower', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    const answer = await api(ctx.app).post(`${USERS}/follow/`, { as: alice, body: { following: carol.id, follower: bob.id } })
    assert.ok(answer.status === 201 || answer.status === 400, answer.text)
    if (answer.status === 201) assert.equal(answer.json.follower, alice.id)
    assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 0 }, 'bob follows nobody')
    assert.equal(await followRows(bob, carol), 0)
  })

  it("unfollowing a user the caller does not follow is refused and leaves another user's follow alone", async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    await followOk(ctx.app, carol, bob)
    const answer = await api(ctx.app).del(`${USERS}/${bob.username}/unfollow/`, { as: alice })
    assert.equal(answer.status, 400)
    assert.equal(typeof answer.json.detail, 'string')
    assert.equal(await followRows(carol, bob), 1)
    assert.deepEqual(await counts(ctx.app, bob), { followers: 1, following: 0 })
    assert.deepEqual(await counts(ctx.app, carol), { followers: 0, following: 1 })
  })
})
