import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  assertNoEmail,
  counts,
  createFollows,
  createManyUsers,
  pagedLists,
  register,
  useTestApp,
  type Account,
} from '../support/index.js'

const ctx = useTestApp()

describe('paging defaults and the clamp, over more than 1000 follows', () => {
  const TOTAL = 1001
  let hub: Account
  /** The ids of the other users, newest follow first. */
  let newestFirst: number[]

  before(async () => {
    hub = await register(ctx.app)
    // Seeded straight into the database: a thousand registrations through argon2 would take minutes.
    const ids = (await createManyUsers(ctx.db, TOTAL)).map((user) => user.id).sort((a, b) => a - b)
    const base = Date.now() - 10 * 60 * 1000
    await createFollows(
      ctx.db,
      ids.flatMap((id, i) => {
        const created_at = new Date(base + i * 10).toISOString()
        return [
          { follower: hub.id, following: id, created_at },
          { follower: id, following: hub.id, created_at },
        ]
      }),
    )
    newestFirst = [...ids].reverse()
  })

  it('the seeded graph is what the counters say', async () => {
    assert.deepEqual(await counts(ctx.app, hub), { followers: TOTAL, following: TOTAL })
  })

  it('batch_size defaults to 100', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const first = (await list.get('')).json()
      assert.equal(first.count, TOTAL, list.name)
      assert.deepEqual(first.results.map(list.idOf), newestFirst.slice(0, 100), list.name)
      const third = (await list.get('?batch_number=2')).json()
      assert.deepEqual(third.results.map(list.idOf), newestFirst.slice(200, 300), list.name)
      const last = (await list.get('?batch_number=10')).json()
      assert.deepEqual(last.results.map(list.idOf), newestFirst.slice(1000), list.name)
    }
  })

  it('batch_size above 1000 is clamped to 1000, count stays the total, and the clamp applies to the offset too', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      for (const size of ['5000', '1001', '99999999999999999999']) {
        const response = await list.get(`?batch_size=${size}`)
        assert.equal(response.statusCode, 200, `${list.name} ${size}`)
        const json = response.json()
        assert.equal(json.count, TOTAL)
        assert.equal(json.results.length, 1000, `${list.name} ${size}`)
        assert.deepEqual(json.results.map(list.idOf), newestFirst.slice(0, 1000))
      }
      const second = (await list.get('?batch_size=5000&batch_number=1')).json()
      assert.equal(second.count, TOTAL)
      assert.deepEqual(second.results.map(list.idOf), newestFirst.slice(1000), list.name)
      const past = (await list.get('?batch_size=5000&batch_number=2')).json()
      assert.deepEqual(past, { count: TOTAL, results: [] }, list.name)
    }
  })

  it('batch_size=1000 is allowed as is', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const json = (await list.get('?batch_size=1000')).json()
      assert.equal(json.results.length, 1000, list.name)
    }
  })

  it('never shows an email, even on a full page', async () => {
    for (const list of pagedLists(ctx.app, hub)) {
      const response = await list.get('?batch_size=1000')
      assertNoEmail(response, hub)
    }
  })
})
