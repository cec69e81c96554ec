import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { family, keys, listUsers, register, setActive, SUMMARY_KEYS, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()

describe('GET /careers/users/', () => {
  it('answers exactly the seed shape, anonymous callers see is_following false', async () => {
    const { lastName, accounts } = await family(ctx.app, [{ first_name: 'Alice', avatar: 'https://example.com/avatar.jpg' }])
    const response = await listUsers(ctx.app, { last_name: lastName })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['batch_info', 'message', 'users'])
    assert.equal(json.message, 'Users retrieved successfully')
    assert.deepEqual(json.users, [
      {
        id: accounts[0]!.id,
        username: accounts[0]!.username,
        first_name: 'Alice',
        last_name: lastName,
        avatar: 'https://example.com/avatar.jpg',
        is_following: false,
      },
    ])
    assert.deepEqual(json.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_users: 1,
      total_batches: 1,
      users_in_current_batch: 1,
    })
  })

  it('personalises is_following for a caller with a token', async () => {
    const { lastName, accounts } = await family(ctx.app, [{}, {}])
    const viewer = await register(ctx.app)
    await ctx.app.inject({
      method: 'POST',
      url: '/careers/users/follow/',
      headers: viewer.auth,
      payload: { following: accounts[1]!.id },
    })
    const users = (await listUsers(ctx.app, { last_name: lastName }, viewer.auth)).json().users
    const following = Object.fromEntries(users.map((user: { id: number; is_following: boolean }) => [user.id, user.is_following]))
    assert.deepEqual(following, { [accounts[0]!.id]: false, [accounts[1]!.id]: true })
  })

  it('never shows an email', async () => {
    const { lastName, accounts } = await family(ctx.app, [{}])
    const response = await listUsers(ctx.app, { last_name: lastName })
    assert.ok(!response.body.includes(accounts[0]!.email))
    assert.deepEqual(keys(response.json().users[0]), SUMMARY_KEYS)
  })

  it('orders by username by default, and by each allowed field in both directions, ties by id', async () => {
    const prefix = uniqueName('ord').toLowerCase()
    const { lastName, accounts } = await family(ctx.app, [
      { username: `${prefix}c`, first_name: 'bob' },
      { username: `${prefix}A`, first_name: 'Carol' },
      { username: `${prefix}b`, first_name: 'alice' },
      { username: `${prefix}d`, first_name: 'Bob' },
    ])
    const [c, a, b, d] = accounts.map((account) => account.id) as [number, number, number, number]
    const order = async (ordering?: string) =>
      (await listUsers(ctx.app, ordering ? { last_name: lastName, ordering } : { last_name: lastName }))
        .json()
        .users.map((u: { id: number }) => u.id)
    assert.deepEqual(await order(), [a, b, c, d])
    assert.deepEqual(await order('username'), [a, b, c, d])
    assert.deepEqual(await order('-username'), [d, c, b, a])
    assert.deepEqual(await order('created_at'), [c, a, b, d])
    assert.deepEqual(await order('-created_at'), [d, b, a, c])
    // "bob" and "Bob" tie case-insensitively: the lower id first, in both directions.
    assert.deepEqual(await order('first_name'), [b, c, d, a])
    assert.deepEqual(await order('-first_name'), [a, c, d, b])
    assert.deepEqual(await order('last_name'), [c, a, b, d])
  })

  it('refuses an unknown ordering with 400 on ordering', async () => {
    for (const ordering of ['email', 'password', '--username', 'id', 'username,created_at', '', '-']) {
      const response = await listUsers(ctx.app, { ordering })
      assert.equal(response.statusCode, 400, ordering)
      assert.deepEqual(keys(response.json()), ['ordering'])
    }
  })

  it('pages in batches, clamps batch_size to 100 and answers [] past the last batch', async () => {
    const { lastName, accounts } = await family(
      ctx.app,
      Array.from({ length: 5 }, (_, i) => ({ first_name: `P${i}` })),
    )
    const ids = accounts.map((account) => account.id)
    const page = async (query: Record<string, string>) =>
      (await listUsers(ctx.app, { last_name: lastName, ordering: 'created_at', ...query })).json()

    const first = await page({ batch_size: '2' })
    assert.deepEqual(
      first.users.map((u: { id: number }) => u.id),
      ids.slice(0, 2),
    )
    assert.deepEqual(first.batch_info, {
      current_batch: 0,
      batch_size: 2,
      total_users: 5,
      total_batches: 3,
      users_in_current_batch: 2,
    })
    const last = await page({ batch_size: '2', batch_number: '2' })
    assert.deepEqual(
      last.users.map((u: { id: number }) => u.id),
      ids.slice(4),
    )
    assert.equal(last.batch_info.users_in_current_batch, 1)
    const past = await page({ batch_size: '2', batch_number: '3' })
    assert.deepEqual(past.users, [])
    assert.deepEqual(past.batch_info, {
      current_batch: 3,
      batch_size: 2,
      total_users: 5,
      total_batches: 3,
      users_in_current_batch: 0,
    })
    const farPast = await page({ batch_number: '9007199254740991' })
    assert.deepEqual(farPast.users, [])
    const beyondSafe = await page({ batch_number: '99999999999999999999999' })
    assert.deepEqual(beyondSafe.users, [])
    assert.equal(beyondSafe.batch_info.current_batch, Number.MAX_SAFE_INTEGER)

    const clamped = await page({ batch_size: '5000' })
    assert.equal(clamped.batch_info.batch_size, 100)
    assert.equal(clamped.batch_info.total_batches, 1)
    assert.equal((await page({ batch_size: '99999999999999999999999' })).batch_info.batch_size, 100)
  })

  it('answers total_batches 0 when nothing matches', async () => {
    const json = (await listUsers(ctx.app, { search: uniqueName('nothing-matches') })).json()
    assert.deepEqual(json.users, [])
    assert.deepEqual(json.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_users: 0,
      total_batches: 0,
      users_in_current_batch: 0,
    })
  })

  for (const [field, value] of [
    ['batch_size', '0'],
    ['batch_size', '-1'],
    ['batch_size', 'abc'],
    ['batch_size', '1.5'],
    ['batch_size', ''],
    ['batch_number', '-1'],
    ['batch_number', 'x'],
    ['batch_number', '1e3'],
  ] as const) {
    it(`refuses ${field}=${JSON.stringify(value)} with 400 on ${field}`, async () => {
      const response = await listUsers(ctx.app, { [field]: value })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), [field])
    })
  }

  it('leaves out deactivated users', async () => {
    const { lastName, accounts } = await family(ctx.app, [{}, {}])
    await setActive(ctx.db, accounts[0]!.id, false)
    const users = (await listUsers(ctx.app, { last_name: lastName })).json().users
    assert.deepEqual(
      users.map((u: { id: number }) => u.id),
      [accounts[1]!.id],
    )
  })

  it('reads a parameter given twice by its last value, as Django does', async () => {
    const { lastName } = await family(ctx.app, [{}, {}, {}])
    const url = `/careers/users/?last_name=${lastName}&batch_size=1&batch_size=2&ordering=nonsense&ordering=-username`
    const response = await ctx.app.inject({ method: 'GET', url })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.equal(json.batch_info.batch_size, 2)
    assert.equal(json.batch_info.total_users, 3)
    const names = json.users.map((user: { username: string }) => user.username)
    assert.deepEqual(names, [...names].sort().reverse())
    const refused = await ctx.app.inject({ method: 'GET', url: '/careers/users/?batch_size=2&batch_size=x' })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(refused.json(), { batch_size: ['A valid integer is required.'] })
  })

  it('ignores unknown query parameters', async () => {
    assert.equal((await listUsers(ctx.app, { nonsense: '1', page: 'x' })).statusCode, 200)
  })
})
