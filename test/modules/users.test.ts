import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inTransaction } from '../../src/db/transaction.js'
import { insertFollow } from '../../src/modules/follows/follows.repository.js'
import { setUserActive } from '../../src/modules/users/users.repository.js'
import { keys, register, uniqueName, useTestApp, type Account } from '../helper.js'

const ctx = useTestApp()
const LIST = '/careers/users/'
const SUMMARY_KEYS = ['avatar', 'first_name', 'id', 'is_following', 'last_name', 'username']
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/

async function list(query: Record<string, string>, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'GET', url: LIST, query, headers })
}

/** Several users sharing a unique last name, so that a test can list just its own. */
async function family(specs: Array<Record<string, string>>): Promise<{ lastName: string; accounts: Account[] }> {
  const lastName = uniqueName('Fam')
  const accounts: Account[] = []
  for (const spec of specs) accounts.push(await register(ctx.app, { last_name: lastName, ...spec }))
  return { lastName, accounts }
}

describe('GET /careers/users/', () => {
  it('answers exactly the seed shape, anonymous callers see is_following false', async () => {
    const { lastName, accounts } = await family([{ first_name: 'Alice', avatar: 'https://example.com/avatar.jpg' }])
    const response = await list({ last_name: lastName })
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
    assert.deepEqual(json.batch_info, { current_batch: 0, batch_size: 10, total_users: 1, total_batches: 1, users_in_current_batch: 1 })
  })

  it('personalises is_following for a caller with a token', async () => {
    const { lastName, accounts } = await family([{}, {}])
    const viewer = await register(ctx.app)
    await ctx.app.inject({ method: 'POST', url: '/careers/users/follow/', headers: viewer.auth, payload: { following: accounts[1]!.id } })
    const users = (await list({ last_name: lastName }, viewer.auth)).json().users
    const following = Object.fromEntries(users.map((user: { id: number; is_following: boolean }) => [user.id, user.is_following]))
    assert.deepEqual(following, { [accounts[0]!.id]: false, [accounts[1]!.id]: true })
  })

  it('never shows an email', async () => {
    const { lastName, accounts } = await family([{}])
    const response = await list({ last_name: lastName })
    assert.ok(!response.body.includes(accounts[0]!.email))
    assert.deepEqual(keys(response.json().users[0]), SUMMARY_KEYS)
  })

  it('searches username, first_name, last_name and bio, case-insensitively, by substring', async () => {
    const tag = uniqueName('Zq').toLowerCase()
    const byUsername = await register(ctx.app, { username: `${tag}name` })
    const byFirst = await register(ctx.app, { first_name: `First${tag.toUpperCase()}x` })
    const byLast = await register(ctx.app, { last_name: `y${tag}` })
    const byBio = await register(ctx.app, { bio: `I like ${tag.toUpperCase()} a lot` })
    await register(ctx.app, { bio: 'unrelated' })
    const response = await list({ search: tag.toUpperCase(), batch_size: '100' })
    const ids = response.json().users.map((user: { id: number }) => user.id).sort((a: number, b: number) => a - b)
    assert.deepEqual(ids, [byUsername.id, byFirst.id, byLast.id, byBio.id].sort((a, b) => a - b))
    assert.equal(response.json().batch_info.total_users, 4)
  })

  it('finds a match in the middle of a word, for long and for 1–2 character terms', async () => {
    const tag = uniqueName('Mid')
    const account = await register(ctx.app, { first_name: 'Q', bio: `abc${tag}xyz` })
    for (const term of [tag.slice(2, 9), tag]) {
      const ids = (await list({ search: term, batch_size: '100' })).json().users.map((u: { id: number }) => u.id)
      assert.ok(ids.includes(account.id), term)
    }
    const lastName = uniqueName('Short')
    const short = await register(ctx.app, { last_name: lastName, first_name: 'Qj' })
    const found = (await list({ last_name: lastName, first_name: 'qj' })).json().users.map((u: { id: number }) => u.id)
    assert.deepEqual(found, [short.id])
  })

  it('matches %, _ and \\ literally', async () => {
    const tag = uniqueName('Lit')
    const percent = await register(ctx.app, { bio: `${tag} 100% sure` })
    const underscore = await register(ctx.app, { bio: `${tag} snake_case` })
    const backslash = await register(ctx.app, { bio: `${tag} C:\\dir` })
    await register(ctx.app, { bio: `${tag} 1000 sure snakeXcase C:dir` })
    const only = async (term: string) => (await list({ search: term, batch_size: '100' })).json().users.map((u: { id: number }) => u.id)
    assert.deepEqual(await only('0% s'), [percent.id])
    assert.deepEqual(await only('%'), [percent.id])
    assert.deepEqual(await only('e_c'), [underscore.id])
    assert.deepEqual(await only('_'), [underscore.id])
    assert.deepEqual(await only(':\\d'), [backslash.id])
    assert.deepEqual(await only('"'), [])
  })

  it('combines first_name and last_name filters with AND', async () => {
    const { lastName, accounts } = await family([
      { first_name: 'Annabel' },
      { first_name: 'Bella' },
      { first_name: 'Chris' },
    ])
    const users = (await list({ last_name: lastName.toLowerCase(), first_name: 'BEL' })).json().users
    assert.deepEqual(
      users.map((u: { id: number }) => u.id),
      [accounts[0]!.id, accounts[1]!.id],
    )
  })

  it('orders by username by default, and by each allowed field in both directions, ties by id', async () => {
    const prefix = uniqueName('ord').toLowerCase()
    const { lastName, accounts } = await family([
      { username: `${prefix}c`, first_name: 'bob' },
      { username: `${prefix}A`, first_name: 'Carol' },
      { username: `${prefix}b`, first_name: 'alice' },
      { username: `${prefix}d`, first_name: 'Bob' },
    ])
    const [c, a, b, d] = accounts.map((account) => account.id) as [number, number, number, number]
    const order = async (ordering?: string) =>
      (await list(ordering ? { last_name: lastName, ordering } : { last_name: lastName })).json().users.map((u: { id: number }) => u.id)
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
    for (const ordering of ['email', 'password', '--username', 'id', 'username,created_at']) {
      const response = await list({ ordering })
      assert.equal(response.statusCode, 400, ordering)
      assert.deepEqual(keys(response.json()), ['ordering'])
    }
  })

  it('pages in batches, clamps batch_size to 100 and answers [] past the last batch', async () => {
    const { lastName, accounts } = await family(Array.from({ length: 5 }, (_, i) => ({ first_name: `P${i}` })))
    const ids = accounts.map((account) => account.id)
    const page = async (query: Record<string, string>) => (await list({ last_name: lastName, ordering: 'created_at', ...query })).json()

    const first = await page({ batch_size: '2' })
    assert.deepEqual(first.users.map((u: { id: number }) => u.id), ids.slice(0, 2))
    assert.deepEqual(first.batch_info, { current_batch: 0, batch_size: 2, total_users: 5, total_batches: 3, users_in_current_batch: 2 })
    const last = await page({ batch_size: '2', batch_number: '2' })
    assert.deepEqual(last.users.map((u: { id: number }) => u.id), ids.slice(4))
    assert.equal(last.batch_info.users_in_current_batch, 1)
    const past = await page({ batch_size: '2', batch_number: '3' })
    assert.deepEqual(past.users, [])
    assert.deepEqual(past.batch_info, { current_batch: 3, batch_size: 2, total_users: 5, total_batches: 3, users_in_current_batch: 0 })
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
    const json = (await list({ search: uniqueName('nothing-matches') })).json()
    assert.deepEqual(json.users, [])
    assert.deepEqual(json.batch_info, { current_batch: 0, batch_size: 10, total_users: 0, total_batches: 0, users_in_current_batch: 0 })
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
      const response = await list({ [field]: value })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(keys(response.json()), [field])
    })
  }

  it('leaves out deactivated users', async () => {
    const { lastName, accounts } = await family([{}, {}])
    await setUserActive(ctx.db, accounts[0]!.id, false)
    const users = (await list({ last_name: lastName })).json().users
    assert.deepEqual(users.map((u: { id: number }) => u.id), [accounts[1]!.id])
  })

  it('ignores unknown query parameters', async () => {
    assert.equal((await list({ nonsense: '1', page: 'x' })).statusCode, 200)
  })
})

describe('GET /careers/users/{username}/', () => {
  it('answers exactly the seed shape, looked up case-insensitively', async () => {
    const account = await register(ctx.app, { first_name: 'Pat', bio: 'Hello' })
    const response = await ctx.app.inject({ method: 'GET', url: `/careers/users/${account.username.toUpperCase()}/` })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), [
      'avatar', 'bio', 'created_at', 'first_name', 'followers_count', 'following_count', 'id', 'last_name', 'posts_count', 'username',
    ])
    assert.equal(json.id, account.id)
    assert.equal(json.username, account.username)
    assert.equal(json.bio, 'Hello')
    assert.equal(json.avatar, null)
    assert.match(json.created_at, ISO_UTC)
    assert.equal(json.posts_count, 0)
    assert.ok(!response.body.includes(account.email))
  })

  it('is 404 for unknown, malformed and deactivated users', async () => {
    const inactive = await register(ctx.app)
    await setUserActive(ctx.db, inactive.id, false)
    for (const username of [uniqueName('ghost'), 'a%20b', 'x', inactive.username, 'nul%00byte']) {
      const response = await ctx.app.inject({ method: 'GET', url: `/careers/users/${username}/` })
      assert.equal(response.statusCode, 404, username)
      assert.deepEqual(response.json(), { detail: 'Not found.' })
    }
  })

  it('`me` is the caller, and 401 without a token', async () => {
    const account = await register(ctx.app)
    const mine = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/followers/', headers: account.auth })
    assert.equal(mine.statusCode, 200)
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/careers/users/me/followers/' })).statusCode, 401)
  })
})

describe('GET /careers/users/me/', () => {
  it('answers exactly the seed shape, with email and updated_at', async () => {
    const account = await register(ctx.app, { first_name: 'Me' })
    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), [
      'avatar', 'bio', 'created_at', 'email', 'first_name', 'followers_count', 'following_count', 'id', 'last_name', 'posts_count',
      'updated_at', 'username',
    ])
    assert.equal(json.email, account.email)
    assert.match(json.updated_at, ISO_UTC)
  })
})

describe('PATCH /careers/users/me/update/', () => {
  const UPDATE = '/careers/users/me/update/'

  it('changes any subset and answers exactly the seed shape', async () => {
    const account = await register(ctx.app, { first_name: 'Alice', last_name: 'Smith', bio: 'Old' })
    const before = (await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })).json()
    await new Promise((resolve) => setTimeout(resolve, 5))
    const email = `${uniqueName('new')}@example.com`
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { last_name: 'Johnson', bio: 'Updated bio', avatar: 'https://example.com/new-avatar.jpg', email },
    })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['avatar', 'bio', 'email', 'first_name', 'id', 'last_name', 'updated_at', 'username'])
    assert.deepEqual({ ...json, updated_at: undefined }, {
      id: account.id,
      username: account.username,
      email,
      first_name: 'Alice',
      last_name: 'Johnson',
      bio: 'Updated bio',
      avatar: 'https://example.com/new-avatar.jpg',
      updated_at: undefined,
    })
    assert.ok(json.updated_at > before.updated_at)
    const login = await ctx.app.inject({ method: 'POST', url: '/careers/users/login/', payload: { username: email, password: 'password123' } })
    assert.equal(login.statusCode, 200)
  })

  it('clears the avatar with null or ""', async () => {
    const account = await register(ctx.app, { avatar: 'https://example.com/a.png' })
    for (const avatar of [null, '']) {
      await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { avatar: 'https://example.com/b.png' } })
      const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { avatar } })
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().avatar, null)
    }
  })

  it('refuses keys that cannot be changed here, and changes nothing', async () => {
    const account = await register(ctx.app, { bio: 'Original' })
    for (const field of ['username', 'id', 'password', 'created_at', 'is_staff', 'followers_count', 'is_active']) {
      const response = await ctx.app.inject({
        method: 'PATCH',
        url: UPDATE,
        headers: account.auth,
        payload: { bio: 'Changed', [field]: field === 'id' ? 1 : 'x' },
      })
      assert.equal(response.statusCode, 400, field)
      assert.deepEqual(response.json(), { [field]: ['This field cannot be changed here.'] })
    }
    const profile = (await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })).json()
    assert.equal(profile.bio, 'Original')
    assert.equal(profile.username, account.username)
  })

  it('validates fields as at registration', async () => {
    const account = await register(ctx.app)
    for (const [field, value] of [
      ['email', 'nope'],
      ['email', null],
      ['avatar', 'javascript:alert(1)'],
      ['first_name', 'x'.repeat(151)],
      ['bio', 'x'.repeat(1001)],
      ['last_name', null],
      ['bio', 5],
    ] as const) {
      const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { [field]: value } })
      assert.equal(response.statusCode, 400, `${field}=${String(value)}`)
      assert.deepEqual(keys(response.json()), [field])
    }
  })

  it("refuses another account's email in any case, accepts a case change of one's own", async () => {
    const account = await register(ctx.app)
    const other = await register(ctx.app)
    const taken = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { email: other.email.toUpperCase() } })
    assert.equal(taken.statusCode, 400)
    assert.deepEqual(keys(taken.json()), ['email'])
    const own = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { email: account.email.toUpperCase() } })
    assert.equal(own.statusCode, 200)
    assert.equal(own.json().email, account.email.toUpperCase())
  })

  it('needs a token', async () => {
    const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, payload: { bio: 'x' } })
    assert.equal(response.statusCode, 401)
  })
})

describe('GET /careers/users/me/stats/', () => {
  it('answers the five counts, computed from real rows', async () => {
    const author = await register(ctx.app)
    const fan = await register(ctx.app)
    const other = await register(ctx.app)
    await ctx.app.inject({ method: 'POST', url: '/careers/users/follow/', headers: fan.auth, payload: { following: author.id } })
    await ctx.app.inject({ method: 'POST', url: '/careers/users/follow/', headers: author.auth, payload: { following: other.id } })

    const now = new Date().toISOString()
    const posts = await ctx.db
      .insertInto('posts')
      .values([
        { author_id: author.id, content: 'one', created_at: now, updated_at: now },
        { author_id: author.id, content: 'two', created_at: now, updated_at: now },
        { author_id: other.id, content: 'elsewhere', created_at: now, updated_at: now },
      ])
      .returning('id')
      .execute()
    const [p1, p2, p3] = posts.map((post) => Number(post.id)) as [number, number, number]
    await ctx.db.updateTable('users').set({ posts_count: 2 }).where('id', '=', author.id).execute()
    await ctx.db
      .insertInto('likes')
      .values([
        { post_id: p1, user_id: fan.id, created_at: now },
        { post_id: p1, user_id: other.id, created_at: now },
        { post_id: p2, user_id: fan.id, created_at: now },
        { post_id: p3, user_id: author.id, created_at: now },
      ])
      .execute()
    await ctx.db
      .insertInto('comments')
      .values([
        { post_id: p2, author_id: fan.id, content: 'nice', created_at: now, updated_at: now },
        { post_id: p3, author_id: author.id, content: 'not mine', created_at: now, updated_at: now },
      ])
      .execute()

    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/stats/', headers: author.auth })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { posts_count: 2, followers_count: 1, following_count: 1, likes_received: 3, comments_received: 1 })
  })

  it('needs a token', async () => {
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/careers/users/me/stats/' })).statusCode, 401)
  })
})

describe('transactions', () => {
  it('a failure inside a follow transaction leaves neither the row nor the counters behind', async () => {
    const a = await register(ctx.app)
    const b = await register(ctx.app)
    await assert.rejects(
      inTransaction(ctx.db, async (trx) => {
        await insertFollow(trx, a.id, b.id, new Date().toISOString())
        throw new Error('forced failure')
      }),
      /forced failure/,
    )
    const profile = (await ctx.app.inject({ method: 'GET', url: `/careers/users/${b.username}/` })).json()
    assert.equal(profile.followers_count, 0)
    const follows = await ctx.db.selectFrom('follows').select('id').where('follower_id', '=', a.id).execute()
    assert.deepEqual(follows, [])
  })
})
