import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { createFollows, createManyUsers, register, useTestApp, type Account } from '../support/index.js'
import { call, type Json } from './posts.helpers.js'

// Feed pages against a model (created_at descending, then id descending): a prolific author, ties in time,
// every page size, and a reader who follows more than 100 authors.
const ctx = useTestApp()

async function addPosts(authorId: number, times: string[]): Promise<void> {
  for (const created_at of times) {
    await ctx.db
      .insertInto('posts')
      .values({
        author_id: authorId,
        title: `t${authorId}`,
        content: 'c',
        post_type: 'post',
        created_at,
        updated_at: created_at,
      })
      .execute()
  }
  await ctx.db
    .updateTable('users')
    .set({ posts_count: sql`(select count(*) from posts where posts.author_id = users.id)` })
    .where('id', '=', authorId)
    .execute()
}

async function model(authorIds: number[]): Promise<number[]> {
  const rows = await ctx.db
    .selectFrom('posts')
    .select(['id', 'created_at'])
    .where('author_id', 'in', authorIds)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map((row) => Number(row.id))
}

async function feedIds(me: Account, size: number): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = []
  let total = 0
  for (let page = 0; ; page++) {
    const response = await call(ctx.app, 'GET', `/careers/users/me/feed/?batch_size=${size}&batch_number=${page}`, me)
    assert.equal(response.status, 200)
    total = response.body.batch_info.total_posts
    if (response.body.posts.length === 0) return { ids, total }
    ids.push(...response.body.posts.map((post: Json) => post.id))
  }
}

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString()

describe('feed pages against a model', () => {
  it('follow the model exactly, with a prolific author, ties in time and deep pages', async () => {
    const me = await register(ctx.app)
    const authors = await createManyUsers(ctx.db, 130)
    // A prolific author, a few quiet ones sharing timestamps with it, and my own posts.
    await addPosts(
      authors[0]!.id,
      Array.from({ length: 40 }, (_, i) => at(i)),
    )
    for (const author of authors.slice(1, 5)) await addPosts(author.id, [at(3), at(17), at(39), at(50)])
    await addPosts(me.id, [at(17), at(60)])
    await addPosts(authors[120]!.id, [at(17), at(70)])

    await createFollows(
      ctx.db,
      authors.slice(0, 5).map((author) => ({ follower: me.id, following: author.id })),
    )
    let expected = await model([me.id, ...authors.slice(0, 5).map((author) => author.id)])
    for (const size of [1, 7, 100]) assert.deepEqual(await feedIds(me, size), { ids: expected, total: expected.length })

    // More than 100 followed authors: the same order.
    await createFollows(
      ctx.db,
      authors.slice(5, 125).map((author) => ({ follower: me.id, following: author.id })),
    )
    expected = await model([me.id, ...authors.slice(0, 125).map((author) => author.id)])
    for (const size of [7, 100]) assert.deepEqual(await feedIds(me, size), { ids: expected, total: expected.length })
  })
})
