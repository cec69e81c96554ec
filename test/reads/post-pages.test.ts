import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { followOk, PASSWORD, register, twoAppsOnOneDatabase, useTestApp, type Account } from '../support/index.js'
import { call, newPost, type Json } from '../posts/posts.helpers.js'

// On SQLite whole pages of posts (list and feed) are cached under a generation that every post row change
// and every like moves; elsewhere the rows are read fresh. Either way every change shows on the next read.
const ctx = useTestApp()

interface Pages {
  anonymous: Json[]
  signedIn: Json[]
  feed: Json[]
  totals: number[]
}

/** The newest posts as an anonymous caller and as `reader` sees them, and `reader`'s feed. */
async function pages(app: FastifyInstance, reader: Account): Promise<Pages> {
  const read = async (url: string, who?: Account) => {
    const response = await call(app, 'GET', url, who)
    assert.equal(response.status, 200, response.raw.body)
    return response.body
  }
  const [anonymous, signedIn, feed] = [
    await read('/careers/?batch_size=5'),
    await read('/careers/?batch_size=5', reader),
    await read('/careers/users/me/feed/?batch_size=5', reader),
  ]
  return {
    anonymous: anonymous.posts,
    signedIn: signedIn.posts,
    feed: feed.posts,
    totals: [anonymous.batch_info.total_posts, signedIn.batch_info.total_posts, feed.batch_info.total_posts],
  }
}

/** The post with this id on each of the three pages (undefined where it is not shown). */
function seen(all: Pages, id: number): (Json | undefined)[] {
  return [all.anonymous, all.signedIn, all.feed].map((posts) => posts.find((post) => post.id === id))
}

function field(all: Pages, id: number, name: string): unknown[] {
  return seen(all, id).map((post) => post?.[name])
}

describe('cached pages of posts', () => {
  it('show likes, comments, shares, edits, renames and deletions on the next read', async () => {
    const author = await register(ctx.app)
    const reader = await register(ctx.app)
    const other = await register(ctx.app)
    await followOk(ctx.app, reader, author)
    const first = await newPost(ctx.app, author, { title: 'first' })
    const second = await newPost(ctx.app, author, { title: 'second' })
    let all = await pages(ctx.app, reader)
    assert.deepEqual(field(all, second.id, 'title'), ['second', 'second', 'second'])
    const before = all.totals

    assert.equal((await call(ctx.app, 'POST', `/careers/${second.id}/like/`, other)).status, 201)
    all = await pages(ctx.app, reader)
    assert.deepEqual(field(all, second.id, 'likes_count'), [1, 1, 1])
    assert.deepEqual(field(all, second.id, 'is_liked'), [false, false, false])

    assert.equal((await call(ctx.app, 'POST', `/careers/${second.id}/like/`, reader)).status, 201)
    all = await pages(ctx.app, reader)
    assert.deepEqual(field(all, second.id, 'likes_count'), [2, 2, 2])
    assert.deepEqual(field(all, second.id, 'is_liked'), [false, true, true])
    assert.equal((await call(ctx.app, 'DELETE', `/careers/${second.id}/unlike/`, reader)).status, 204)
    assert.deepEqual(field(await pages(ctx.app, reader), second.id, 'is_liked'), [false, false, false])

    const comment = await call(ctx.app, 'POST', `/careers/${first.id}/comment/`, other, { content: 'Nice' })
    assert.equal(comment.status, 201)
    assert.deepEqual(field(await pages(ctx.app, reader), first.id, 'comments_count'), [1, 1, 1])

    assert.equal((await call(ctx.app, 'POST', `/careers/${first.id}/share/`, other)).status, 201)
    assert.deepEqual(field(await pages(ctx.app, reader), first.id, 'shares_count'), [1, 1, 1])
    const quoted = await call(ctx.app, 'POST', `/careers/${first.id}/share-post/`, other, { title: 'quote', content: 'x' })
    assert.equal(quoted.status, 201)
    all = await pages(ctx.app, reader)
    assert.deepEqual(all.anonymous[0]?.title, 'quote')
    assert.deepEqual(all.totals, [before[0]! + 1, before[1]! + 1, before[2]])

    assert.equal((await call(ctx.app, 'PATCH', `/careers/${second.id}/`, author, { title: 'edited' })).status, 200)
    assert.deepEqual(field(await pages(ctx.app, reader), second.id, 'title'), ['edited', 'edited', 'edited'])

    // Usernames cannot be changed through the API; an administrator's rename in the database still shows.
    const renamed = `${author.username}x`
    await ctx.db
      .updateTable('users')
      .set({ username: renamed, username_key: renamed.toLowerCase() })
      .where('id', '=', author.id)
      .execute()
    assert.deepEqual(field(await pages(ctx.app, reader), second.id, 'username'), [renamed, renamed, renamed])

    assert.equal((await call(ctx.app, 'DELETE', `/careers/${second.id}/`, author)).status, 204)
    all = await pages(ctx.app, reader)
    assert.deepEqual(seen(all, second.id), [undefined, undefined, undefined])
    assert.deepEqual(all.totals, [before[0]!, before[1]!, before[2]! - 1])

    // A like written straight into the table, by no route: `is_liked` still moves.
    await ctx.db
      .insertInto('likes')
      .values({ post_id: first.id, user_id: reader.id, created_at: new Date().toISOString() })
      .execute()
    assert.deepEqual(field(await pages(ctx.app, reader), first.id, 'is_liked'), [false, true, true])

    // Account deletion takes the quoting post and the share with it.
    assert.equal((await call(ctx.app, 'DELETE', '/careers/users/me/', other, { password: PASSWORD })).status, 204)
    all = await pages(ctx.app, reader)
    assert.deepEqual(seen(all, quoted.body.id), [undefined, undefined, undefined])
    assert.deepEqual(field(all, first.id, 'shares_count'), [0, 0, 0])
    assert.deepEqual(field(all, first.id, 'comments_count'), [0, 0, 0])
  })

  it('are per viewer: one reader’s like is not another’s', async () => {
    const author = await register(ctx.app)
    const [one, two] = [await register(ctx.app), await register(ctx.app)]
    for (const reader of [one, two]) await followOk(ctx.app, reader, author)
    const post = await newPost(ctx.app, author)
    for (const reader of [one, two])
      assert.deepEqual(field(await pages(ctx.app, reader), post.id, 'is_liked'), [false, false, false])
    assert.equal((await call(ctx.app, 'POST', `/careers/${post.id}/like/`, one)).status, 201)
    assert.deepEqual(field(await pages(ctx.app, one), post.id, 'is_liked'), [false, true, true])
    assert.deepEqual(field(await pages(ctx.app, two), post.id, 'is_liked'), [false, false, false])
  })
})

describe('cached pages of posts in two app instances on one database', () => {
  it('see each other’s likes, edits and posts at once', async (t) => {
    const [one, other] = await twoAppsOnOneDatabase(t)
    const author = await register(one.app)
    const reader = await register(one.app)
    await followOk(one.app, reader, author)
    const post = await newPost(one.app, author, { title: 'one' })
    for (const app of [one.app, other]) assert.deepEqual(field(await pages(app, reader), post.id, 'likes_count'), [0, 0, 0])
    assert.equal((await call(other, 'POST', `/careers/${post.id}/like/`, reader)).status, 201)
    for (const app of [one.app, other]) {
      const all = await pages(app, reader)
      assert.deepEqual(field(all, post.id, 'likes_count'), [1, 1, 1])
      assert.deepEqual(field(all, post.id, 'is_liked'), [false, true, true])
    }
    assert.equal((await call(one.app, 'PATCH', `/careers/${post.id}/`, author, { title: 'two' })).status, 200)
    for (const app of [other, one.app]) assert.deepEqual(field(await pages(app, reader), post.id, 'title'), ['two', 'two', 'two'])
    const next = await newPost(other, author, { title: 'three' })
    for (const app of [one.app, other])
      assert.deepEqual(field(await pages(app, reader), next.id, 'title'), ['three', 'three', 'three'])
  })
})
