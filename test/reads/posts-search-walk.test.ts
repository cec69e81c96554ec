import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newPost } from '../posts/posts.helpers.js'
import { register, useTestApp } from '../support/index.js'

// On SQLite a search page of a common term is found by walking the ordering's index for a bounded number of
// posts, and otherwise collected from the trigram index: whichever way, the page must be the same.
const ctx = useTestApp()

const POSTS = 640
// In every second post (a walk within its budget finds each early page), in mixed case.
const COMMON = 'walkcommon'
// Only in the oldest 300 posts: walking newest first gives up at its budget and the matches are collected.
const CLUSTERED = 'walkclustered'

async function page(query: Record<string, string>): Promise<{ ids: number[]; total: number }> {
  const response = await ctx.app.inject({ method: 'GET', url: '/careers/', query })
  assert.equal(response.statusCode, 200, response.body)
  const body = response.json()
  return { ids: body.posts.map((post: { id: number }) => post.id), total: body.batch_info.total_posts }
}

describe('a search page of a common term', () => {
  it('is the page every match sorted would give, in each ordering, walked or collected', async () => {
    const author = await register(ctx.app)
    const ids: number[] = []
    for (let index = 0; index < POSTS; index++) {
      const words = [index % 2 === 0 ? (index % 4 === 0 ? COMMON.toUpperCase() : COMMON) : 'plain', index < 300 ? CLUSTERED : '']
      ids.push((await newPost(ctx.app, author, { title: `Post ${index}`, content: words.join(' ') })).id as number)
    }
    const newestFirst = [...ids].reverse()
    const common = newestFirst.filter((_id, index) => (POSTS - 1 - index) % 2 === 0)
    const clustered = newestFirst.filter((_id, index) => POSTS - 1 - index < 300)
    // created_datetime ties (one millisecond) fall back to the id, in the same direction.
    for (const [term, matches] of [
      [COMMON, common],
      [CLUSTERED, clustered],
    ] as const) {
      for (const size of [1, 5, 10]) {
        for (const number of [0, 1, 2, 7, Math.ceil(matches.length / size) - 1]) {
          const query = { search: term, batch_size: String(size), batch_number: String(number) }
          const expected = matches.slice(number * size, (number + 1) * size)
          assert.deepEqual(await page(query), { ids: expected, total: matches.length }, JSON.stringify(query))
          const oldest = await page({ ...query, ordering: 'created_datetime' })
          assert.deepEqual(oldest.ids, [...matches].reverse().slice(number * size, (number + 1) * size), JSON.stringify(query))
          // Every post has 0 likes: the id orders them, newest first.
          assert.deepEqual((await page({ ...query, ordering: '-likes_count' })).ids, expected, JSON.stringify(query))
        }
      }
    }
    // The same search in other case, and a term that no post has.
    assert.deepEqual(await page({ search: COMMON.toUpperCase(), batch_size: '3' }), {
      ids: common.slice(0, 3),
      total: common.length,
    })
    assert.deepEqual(await page({ search: 'walknothing' }), { ids: [], total: 0 })
  })
})
