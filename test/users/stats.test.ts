import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { register, useTestApp } from '../support/index.js'

const ctx = useTestApp()

describe('GET /careers/users/me/stats/', () => {
  it('answers the five stored counts, moved by the posts API', async () => {
    const author = await register(ctx.app)
    const fan = await register(ctx.app)
    const other = await register(ctx.app)
    const send = (who: typeof author, method: 'POST' | 'DELETE', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) })
    await send(fan, 'POST', '/careers/users/follow/', { following: author.id })
    await send(author, 'POST', '/careers/users/follow/', { following: other.id })

    const post = async (who: typeof author, title: string): Promise<number> => {
      const response = await send(who, 'POST', '/careers/', { title, content: title })
      assert.equal(response.statusCode, 201, response.body)
      return response.json<{ id: number }>().id
    }
    const [p1, p2, p3] = [await post(author, 'one'), await post(author, 'two'), await post(other, 'elsewhere')]
    for (const [who, id] of [
      [fan, p1],
      [other, p1],
      [fan, p2],
      [author, p3],
    ] as const) {
      assert.equal((await send(who, 'POST', `/careers/${id}/like/`)).statusCode, 201)
    }
    assert.equal((await send(fan, 'POST', `/careers/${p2}/comment/`, { content: 'nice' })).statusCode, 201)
    assert.equal((await send(author, 'POST', `/careers/${p3}/comment/`, { content: 'not mine' })).statusCode, 201)

    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/stats/', headers: author.auth })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      posts_count: 2,
      followers_count: 1,
      following_count: 1,
      likes_received: 3,
      comments_received: 1,
    })
  })

  it('needs a token', async () => {
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/careers/users/me/stats/' })).statusCode, 401)
  })
})
