import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { register, setActive, uniqueName, useTestApp, twoAppsOnOneDatabase, updateMe } from '../support/index.js'

const ctx = useTestApp()
const LIST = '/careers/users/'

interface BatchInfo {
  total_users: number
  total_batches: number
  users_in_current_batch: number
}

async function batchInfo(app: FastifyInstance, query: Record<string, string> = {}): Promise<BatchInfo> {
  const response = await app.inject({ method: 'GET', url: LIST, query })
  assert.equal(response.statusCode, 200, response.body)
  return response.json().batch_info
}

describe('stored total of the users list', () => {
  it('is exact after every registration, right after the caller’s own write', async () => {
    const before = (await batchInfo(ctx.app)).total_users
    for (let i = 1; i <= 3; i++) {
      await register(ctx.app)
      const info = await batchInfo(ctx.app, { batch_size: '2' })
      assert.equal(info.total_users, before + i)
      assert.equal(info.total_batches, Math.ceil((before + i) / 2))
    }
  })

  it('counts active users only, moving as users are deactivated and reactivated', async () => {
    const account = await register(ctx.app)
    const before = (await batchInfo(ctx.app)).total_users
    await setActive(ctx.db, account.id, false)
    assert.equal((await batchInfo(ctx.app)).total_users, before - 1)
    await setActive(ctx.db, account.id, false)
    assert.equal((await batchInfo(ctx.app)).total_users, before - 1)
    await setActive(ctx.db, account.id, true)
    assert.equal((await batchInfo(ctx.app)).total_users, before)
  })

  it('equals the rows after concurrent registrations', async () => {
    await Promise.all(Array.from({ length: 12 }, () => register(ctx.app)))
    const rows = await ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_active', '=', sql.lit(true))
      .executeTakeFirstOrThrow()
    assert.equal((await batchInfo(ctx.app)).total_users, Number(rows.n))
  })

  it('is unchanged by follows and by updates of other fields', async () => {
    const [a, b] = [await register(ctx.app), await register(ctx.app)]
    const before = await batchInfo(ctx.app)
    await ctx.app.inject({ method: 'POST', url: '/careers/users/follow/', headers: a.auth, payload: { following: b.id } })
    await updateMe(ctx.app, a.auth, { avatar: 'https://example.com/a.png' })
    assert.deepEqual(await batchInfo(ctx.app), before)
  })
})

describe('cached search counts', () => {
  it('show a new match right after a registration', async () => {
    const tag = uniqueName('Kw').toLowerCase()
    await register(ctx.app, { bio: `about ${tag}` })
    assert.equal((await batchInfo(ctx.app, { search: tag })).total_users, 1)
    assert.equal((await batchInfo(ctx.app, { search: tag.toUpperCase() })).total_users, 1)
    await register(ctx.app, { first_name: `x${tag}` })
    assert.equal((await batchInfo(ctx.app, { search: tag })).total_users, 2)
    assert.equal((await batchInfo(ctx.app, { search: tag.toUpperCase() })).total_users, 2)
  })

  it('follow profile updates into and out of the match set, for every filter and short terms', async () => {
    const tag = uniqueName('Pq').toLowerCase()
    const account = await register(ctx.app)
    const counts = async () => [
      (await batchInfo(ctx.app, { search: tag })).total_users,
      (await batchInfo(ctx.app, { first_name: tag })).total_users,
      (await batchInfo(ctx.app, { last_name: tag })).total_users,
      (await batchInfo(ctx.app, { search: tag, first_name: tag })).total_users,
    ]
    assert.deepEqual(await counts(), [0, 0, 0, 0])
    await updateMe(ctx.app, account.auth, { first_name: tag })
    assert.deepEqual(await counts(), [1, 1, 0, 1])
    await updateMe(ctx.app, account.auth, { first_name: '', last_name: `Mc${tag}` })
    assert.deepEqual(await counts(), [1, 0, 1, 0])
    await updateMe(ctx.app, account.auth, { last_name: '', bio: tag })
    assert.deepEqual(await counts(), [1, 0, 0, 0])
    await setActive(ctx.db, account.id, false)
    assert.deepEqual(await counts(), [0, 0, 0, 0])
  })

  it('cache two-character terms, and still see a new match', async () => {
    const before = (await batchInfo(ctx.app, { search: 'Ñq' })).total_users
    await register(ctx.app, { last_name: 'ÑqÑ' })
    assert.equal((await batchInfo(ctx.app, { search: 'Ñq' })).total_users, before + 1)
    assert.equal((await batchInfo(ctx.app, { search: 'q_' })).total_users, 0)
  })

  it('stay exact under concurrent registrations and reads', async () => {
    const tag = uniqueName('Cc').toLowerCase()
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await register(ctx.app, { bio: `${tag} ${i}` })
        await batchInfo(ctx.app, { search: tag })
      }),
    )
    assert.equal((await batchInfo(ctx.app, { search: tag })).total_users, 8)
  })
})

describe('two app instances on one database', () => {
  it('see each other’s writes in totals and cached search counts immediately', async (t) => {
    const [first, second] = await twoAppsOnOneDatabase(t)
    const tag = uniqueName('Tw').toLowerCase()
    const searches: Array<Record<string, string>> = [{ search: tag }, { search: tag.slice(0, 2) }, { last_name: tag }]
    // Fill both processes' caches.
    for (const app of [first.app, second]) {
      assert.equal((await batchInfo(app)).total_users, 0)
      for (const query of searches) assert.equal((await batchInfo(app, query)).total_users, 0)
    }
    const account = await register(first.app, { last_name: tag })
    for (const app of [second, first.app]) {
      assert.equal((await batchInfo(app)).total_users, 1)
      for (const query of searches) assert.equal((await batchInfo(app, query)).total_users, 1)
    }
    await updateMe(second, account.auth, { last_name: 'Other' })
    for (const app of [first.app, second]) {
      for (const query of searches) assert.equal((await batchInfo(app, query)).total_users, 0)
    }
    await register(second)
    assert.equal((await batchInfo(first.app)).total_users, 2)
  })
})
