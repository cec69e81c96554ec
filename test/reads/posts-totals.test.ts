import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { call, newPost } from '../posts/posts.helpers.js'
import { register, uniqueName, useTestApp, twoAppsOnOneDatabase } from '../support/index.js'

const ctx = useTestApp()

async function totalPosts(app: FastifyInstance, query: Record<string, string> = {}): Promise<number> {
  const response = await app.inject({ method: 'GET', url: '/careers/', query: { batch_size: '2', ...query } })
  assert.equal(response.statusCode, 200, response.body)
  const info = response.json().batch_info
  assert.equal(info.total_batches, Math.ceil(info.total_posts / 2))
  return info.total_posts
}

async function rows(): Promise<number> {
  const { n } = await ctx.db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n)
}

describe('stored total of the posts list', () => {
  it('is exact right after create, share-post and delete, and per author', async () => {
    const [alice, bob] = [await register(ctx.app), await register(ctx.app)]
    const before = await totalPosts(ctx.app)
    const first = await newPost(ctx.app, alice)
    assert.equal(await totalPosts(ctx.app), before + 1)
    const share = await call(ctx.app, 'POST', `/careers/${first.id}/share-post/`, bob, { title: 'Shared', content: 'x' })
    assert.equal(share.status, 201, share.raw.body)
    assert.equal(await totalPosts(ctx.app), before + 2)
    await newPost(ctx.app, alice)
    assert.equal(await totalPosts(ctx.app), before + 3)
    assert.equal(await totalPosts(ctx.app, { username: alice.username }), 2)
    assert.equal(await totalPosts(ctx.app, { username: `${alice.username},${bob.username}` }), 3)
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${first.id}/`, alice)).status, 204)
    assert.equal(await totalPosts(ctx.app), before + 2)
    assert.equal(await totalPosts(ctx.app, { username: alice.username }), 1)
    assert.equal(await totalPosts(ctx.app), await rows())
  })

  it('follows posts removed by a cascading user delete, and concurrent creates', async () => {
    const gone = await register(ctx.app)
    await Promise.all(Array.from({ length: 6 }, () => newPost(ctx.app, gone)))
    assert.equal(await totalPosts(ctx.app), await rows())
    await ctx.db.deleteFrom('users').where('id', '=', gone.id).execute()
    assert.equal(await totalPosts(ctx.app), await rows())
  })
})

describe('cached search counts of the posts list', () => {
  it('refresh right after a new match, an edit and a delete, for long and short terms', async () => {
    const [alice, bob] = [await register(ctx.app), await register(ctx.app)]
    const tag = uniqueName('Ps').toLowerCase()
    const counts = async (): Promise<number[]> => [
      await totalPosts(ctx.app, { search: tag }),
      await totalPosts(ctx.app, { search: tag.toUpperCase() }),
      await totalPosts(ctx.app, { search: tag, username: alice.username }),
    ]
    assert.deepEqual(await counts(), [0, 0, 0])
    const post = await newPost(ctx.app, alice, { title: `About ${tag}` })
    assert.deepEqual(await counts(), [1, 1, 1])
    await newPost(ctx.app, bob, { content: `more ${tag} here` })
    assert.deepEqual(await counts(), [2, 2, 1])
    const edit = await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, { title: 'Nothing to see' })
    assert.equal(edit.status, 200, edit.raw.body)
    assert.deepEqual(await counts(), [1, 1, 0])
    assert.equal((await call(ctx.app, 'PATCH', `/careers/${post.id}/`, alice, { content: tag })).status, 200)
    assert.deepEqual(await counts(), [2, 2, 1])
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${post.id}/`, alice)).status, 204)
    assert.deepEqual(await counts(), [1, 1, 0])

    const short = await totalPosts(ctx.app, { search: 'Ñz' })
    await newPost(ctx.app, bob, { title: 'ÑzÑ' })
    assert.equal(await totalPosts(ctx.app, { search: 'Ñz' }), short + 1)
  })

  it('are unchanged by likes, comments and shares of a match', async () => {
    const [alice, bob] = [await register(ctx.app), await register(ctx.app)]
    const tag = uniqueName('Pl').toLowerCase()
    const post = await newPost(ctx.app, alice, { title: tag })
    assert.equal(await totalPosts(ctx.app, { search: tag }), 1)
    assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/like/`, bob)).status, 201)
    assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/comment/`, bob, { content: tag })).status, 201)
    assert.equal(await totalPosts(ctx.app, { search: tag }), 1)
  })

  it('stay exact under concurrent creates and reads', async () => {
    const alice = await register(ctx.app)
    const tag = uniqueName('Pc').toLowerCase()
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await newPost(ctx.app, alice, { content: `${tag} ${i}` })
        await totalPosts(ctx.app, { search: tag })
      }),
    )
    assert.equal(await totalPosts(ctx.app, { search: tag }), 8)
  })
})

describe('two app instances on one database (posts)', () => {
  it('see each other’s writes in totals and cached search counts immediately', async (t) => {
    const [first, second] = await twoAppsOnOneDatabase(t)
    const tag = uniqueName('Pw').toLowerCase()
    const author = await register(first.app)
    const searches: Array<Record<string, string>> = [
      { search: tag },
      { search: tag.slice(0, 2) },
      { search: tag, username: author.username },
    ]
    const check = async (app: FastifyInstance, total: number, matches: number): Promise<void> => {
      assert.equal(await totalPosts(app), total)
      for (const query of searches) assert.equal(await totalPosts(app, query), matches, JSON.stringify(query))
    }
    // Fill both processes' caches.
    for (const app of [first.app, second]) await check(app, 0, 0)
    const post = await newPost(first.app, author, { title: tag })
    for (const app of [second, first.app]) await check(app, 1, 1)
    assert.equal((await call(second, 'PATCH', `/careers/${post.id}/`, author, { title: 'Other' })).status, 200)
    for (const app of [first.app, second]) await check(app, 1, 0)
    assert.equal((await call(second, 'PATCH', `/careers/${post.id}/`, author, { content: tag })).status, 200)
    for (const app of [first.app, second]) await check(app, 1, 1)
    assert.equal((await call(second, 'DELETE', `/careers/${post.id}/`, author)).status, 204)
    for (const app of [first.app, second]) await check(app, 0, 0)
  })
})
