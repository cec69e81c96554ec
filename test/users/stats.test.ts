import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { register, useTestApp } from '../support/index.js'

const ctx = useTestApp()

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
