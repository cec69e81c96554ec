import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { followOk, register, setActive, uniqueName, useTestApp, twoAppsOnOneDatabase, updateMe } from '../support/index.js'

// A filtered page's ids are cached for the users table's generation; its rows are read fresh each time.
const ctx = useTestApp()

async function page(app: FastifyInstance, query: Record<string, string>): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: '/careers/users/', query })
  assert.equal(response.statusCode, 200, response.body)
  const body = response.json()
  assert.equal(body.batch_info.users_in_current_batch, body.users.length)
  return body.users.map((user: { username: string }) => user.username)
}

describe('cached pages of a search', () => {
  it('follow registrations, updates in and out of the match, reordering and deactivation at once', async () => {
    const tag = uniqueName('Sp').toLowerCase()
    const query = { search: tag, ordering: 'first_name', batch_size: '2' }
    const a = await register(ctx.app, { first_name: 'Bea', bio: tag })
    const b = await register(ctx.app, { first_name: 'Cid', bio: tag })
    assert.deepEqual(await page(ctx.app, query), [a.username, b.username])
    const c = await register(ctx.app, { first_name: 'Abe', bio: tag })
    assert.deepEqual(await page(ctx.app, query), [c.username, a.username])
    assert.deepEqual(await page(ctx.app, { ...query, batch_number: '1' }), [b.username])
    await updateMe(ctx.app, a.auth, { first_name: 'Dee' })
    assert.deepEqual(await page(ctx.app, query), [c.username, b.username])
    await updateMe(ctx.app, c.auth, { bio: 'nothing to see' })
    assert.deepEqual(await page(ctx.app, query), [b.username, a.username])
    await setActive(ctx.db, b.id, false)
    assert.deepEqual(await page(ctx.app, query), [a.username])
    await setActive(ctx.db, b.id, true)
    assert.deepEqual(await page(ctx.app, query), [b.username, a.username])
  })

  it('show each row as it is now (an avatar change does not move the page)', async () => {
    const tag = uniqueName('Av').toLowerCase()
    const account = await register(ctx.app, { last_name: tag })
    assert.deepEqual(await page(ctx.app, { last_name: tag }), [account.username])
    await updateMe(ctx.app, account.auth, { avatar: 'https://example.com/a.png' })
    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query: { last_name: tag } })
    assert.equal(response.json().users[0].avatar, 'https://example.com/a.png')
  })
})

describe('anonymous answers of a cached page', () => {
  it('are the same JSON for every anonymous caller, and never carry a viewer’s is_following', async () => {
    const tag = uniqueName('Sh').toLowerCase()
    const viewer = await register(ctx.app, { last_name: tag, first_name: 'Ann' })
    const other = await register(ctx.app, { last_name: tag, first_name: 'Bob' })
    await followOk(ctx.app, viewer, other)
    const query = { last_name: tag, ordering: 'first_name' }
    const anonymous = async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query })
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
      return response
    }
    const first = await anonymous()
    assert.deepEqual(
      first.json().users.map((user: { is_following: boolean }) => user.is_following),
      [false, false],
    )
    const mine = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query, headers: viewer.auth })
    assert.deepEqual(
      mine.json().users.map((user: { is_following: boolean }) => user.is_following),
      [false, true],
    )
    const again = await anonymous()
    assert.equal(again.body, first.body)
    assert.deepEqual(again.json().batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_users: 2,
      total_batches: 1,
      users_in_current_batch: 2,
    })
    // Another page size over the same rows is another body.
    const small = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query: { ...query, batch_size: '1' } })
    assert.deepEqual(small.json().batch_info.batch_size, 1)
    assert.equal(small.json().users.length, 1)
  })
})

describe('cached pages of the whole list', () => {
  it('show a registration, an avatar or name change and a deactivation at once', async () => {
    const newest = { ordering: '-created_at', batch_size: '1' }
    const first = async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/', query: newest })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().users[0]
    }
    const account = await register(ctx.app)
    assert.equal((await first()).username, account.username)
    await updateMe(ctx.app, account.auth, { avatar: 'https://example.com/b.png', first_name: 'Zed' })
    assert.deepEqual([(await first()).avatar, (await first()).first_name], ['https://example.com/b.png', 'Zed'])
    await setActive(ctx.db, account.id, false)
    assert.notEqual((await first()).username, account.username)
    const next = await register(ctx.app)
    assert.equal((await first()).username, next.username)
  })
})

describe('cached search pages in two app instances on one database', () => {
  it('see each other’s writes at once', async (t) => {
    const [first, second] = await twoAppsOnOneDatabase(t)
    const tag = uniqueName('Tp').toLowerCase()
    for (const app of [first.app, second]) assert.deepEqual(await page(app, { search: tag }), [])
    const account = await register(first.app, { bio: tag })
    for (const app of [second, first.app]) assert.deepEqual(await page(app, { search: tag }), [account.username])
    await updateMe(second, account.auth, { bio: 'gone' })
    for (const app of [first.app, second]) assert.deepEqual(await page(app, { search: tag }), [])
  })
})
