import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createFollows, followOk, register, twoAppsOnOneDatabase, unfollow, useTestApp, type Account } from '../support/index.js'
import { call, newPost, type Json } from '../posts/posts.helpers.js'

// A feed page's ids and total are cached per reader, follows version and posts generation; its rows are read
// fresh. Every change a reader could notice must show on the very next read.
const ctx = useTestApp()

async function feed(app: FastifyInstance, me: Account, query = ''): Promise<{ total: number; posts: Json[] }> {
  const response = await call(app, 'GET', `/careers/users/me/feed/${query}`, me)
  assert.equal(response.status, 200, response.raw.body)
  assert.equal(response.body.batch_info.posts_in_current_batch, response.body.posts.length)
  return { total: response.body.batch_info.total_posts, posts: response.body.posts }
}

const titles = (page: { posts: Json[] }) => page.posts.map((post) => post.title)

describe('cached feed pages', () => {
  it('show posts, deletions, follows, unfollows, likes and comments on the next read', async () => {
    const me = await register(ctx.app)
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await newPost(ctx.app, me, { title: 'm1' })
    await newPost(ctx.app, alice, { title: 'a1' })
    const b1 = await newPost(ctx.app, bob, { title: 'b1' })
    await followOk(ctx.app, me, alice)
    assert.deepEqual(titles(await feed(ctx.app, me)), ['a1', 'm1'])

    const a2 = await newPost(ctx.app, alice, { title: 'a2' })
    assert.deepEqual(await feed(ctx.app, me).then((page) => [page.total, titles(page)]), [3, ['a2', 'a1', 'm1']])

    assert.equal((await call(ctx.app, 'POST', `/careers/${a2.id}/like/`, me)).status, 201)
    const liked = (await feed(ctx.app, me)).posts[0]!
    assert.deepEqual([liked.likes_count, liked.is_liked], [1, true])

    assert.equal((await call(ctx.app, 'POST', `/careers/${a2.id}/comment/`, bob, { content: 'Nice' })).status, 201)
    assert.equal((await feed(ctx.app, me)).posts[0]!.comments_count, 1)

    assert.equal((await unfollow(ctx.app, me, alice.username)).statusCode, 200)
    assert.deepEqual(await feed(ctx.app, me).then((page) => [page.total, titles(page)]), [1, ['m1']])

    await followOk(ctx.app, me, bob)
    assert.deepEqual(titles(await feed(ctx.app, me)), ['b1', 'm1'])
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${b1.id}/`, bob)).status, 204)
    assert.deepEqual(await feed(ctx.app, me).then((page) => [page.total, titles(page)]), [1, ['m1']])

    // Pages past the end, and a follow written straight into the table (the version moves by trigger).
    assert.deepEqual(await feed(ctx.app, me, '?batch_size=1&batch_number=1'), { total: 1, posts: [] })
    await createFollows(ctx.db, [{ follower: me.id, following: alice.id }])
    assert.deepEqual(titles(await feed(ctx.app, me, '?batch_size=1&batch_number=1')), ['a1'])
  })

  it('are per reader: one reader’s follow does not change another’s page', async () => {
    const [first, second] = [await register(ctx.app), await register(ctx.app)]
    const author = await register(ctx.app)
    await newPost(ctx.app, author, { title: 'by the author' })
    assert.deepEqual(await feed(ctx.app, first), { total: 0, posts: [] })
    assert.deepEqual(await feed(ctx.app, second), { total: 0, posts: [] })
    await followOk(ctx.app, first, author)
    assert.deepEqual(titles(await feed(ctx.app, first)), ['by the author'])
    assert.deepEqual(await feed(ctx.app, second), { total: 0, posts: [] })
  })
})

describe('cached feed pages in two app instances on one database', () => {
  it('see each other’s follows and posts at once', async (t) => {
    const [one, other] = await twoAppsOnOneDatabase(t)
    const me = await register(one.app)
    const author = await register(one.app)
    await newPost(one.app, author, { title: 'first' })
    for (const app of [one.app, other]) assert.deepEqual(await feed(app, me), { total: 0, posts: [] })
    await followOk(other, me, author)
    for (const app of [one.app, other]) assert.deepEqual(titles(await feed(app, me)), ['first'])
    await newPost(other, author, { title: 'second' })
    for (const app of [one.app, other]) assert.deepEqual(titles(await feed(app, me)), ['second', 'first'])
    assert.equal((await unfollow(other, me, author.username)).statusCode, 200)
    for (const app of [one.app, other]) assert.deepEqual(await feed(app, me), { total: 0, posts: [] })
  })
})
