import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, register, uniqueName, useTestApp, type Account } from '../helper.js'
import { assertPostShape, call, newPost, type Json } from './posts.helpers.js'

const ctx = useTestApp()

const titles = (body: Json): string[] => body.posts.map((post: Json) => post.title)

describe('GET /careers/', () => {
  it('lists newest first with the exact envelope; a token personalises is_liked', async () => {
    const alice = await register(ctx.app)
    const tag = uniqueName('env')
    const first = await newPost(ctx.app, alice, { title: `${tag} one` })
    await newPost(ctx.app, alice, { title: `${tag} two` })
    await call(ctx.app, 'POST', `/careers/${first.id}/like/`, alice)
    const anonymous = await call(ctx.app, 'GET', `/careers/?username=${alice.username}`)
    assert.equal(anonymous.status, 200)
    assert.deepEqual(keys(anonymous.body), ['batch_info', 'message', 'posts'])
    assert.equal(anonymous.body.message, 'Posts retrieved successfully')
    assert.deepEqual(anonymous.body.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_posts: 2,
      total_batches: 1,
      posts_in_current_batch: 2,
    })
    assert.deepEqual(titles(anonymous.body), [`${tag} two`, `${tag} one`])
    anonymous.body.posts.forEach(assertPostShape)
    assert.deepEqual(
      anonymous.body.posts.map((p: Json) => p.is_liked),
      [false, false],
    )
    const mine = await call(ctx.app, 'GET', `/careers?username=${alice.username}`, alice)
    assert.deepEqual(
      mine.body.posts.map((p: Json) => p.is_liked),
      [false, true],
    )
  })

  it('filters by one or several usernames, case-insensitively; unknown names match nothing', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await newPost(ctx.app, alice, { title: 'a1' })
    await newPost(ctx.app, bob, { title: 'b1' })
    const both = await call(ctx.app, 'GET', `/careers/?username=${alice.username.toUpperCase()},${bob.username},nobody`)
    assert.deepEqual(titles(both.body), ['b1', 'a1'])
    assert.equal(both.body.batch_info.total_posts, 2)
    const none = await call(ctx.app, 'GET', '/careers/?username=nobody_here')
    assert.deepEqual(none.body.posts, [])
    assert.equal(none.body.batch_info.total_posts, 0)
    assert.equal(none.body.batch_info.total_batches, 0)
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')
    assert.equal((await call(ctx.app, 'GET', `/careers/?username=${many}`)).status, 400)
  })

  it('searches title and content case-insensitively, with % _ \\ literal', async () => {
    const alice = await register(ctx.app)
    const tag = uniqueName('srch').toLowerCase()
    await newPost(ctx.app, alice, { title: `${tag} Rust Engineer`, content: 'plain' })
    await newPost(ctx.app, alice, { title: `${tag} other`, content: 'We pay 100% of the_costs \\o/' })
    await newPost(ctx.app, alice, { title: `${tag} third`, content: 'We pay 1000 of the costs' })
    const search = async (term: string): Promise<string[]> => {
      const response = await call(ctx.app, 'GET', `/careers/?username=${alice.username}&search=${encodeURIComponent(term)}`)
      assert.equal(response.status, 200, response.raw.body)
      assert.equal(response.body.batch_info.total_posts, response.body.posts.length)
      return titles(response.body)
    }
    assert.deepEqual(await search('RUST eng'), [`${tag} Rust Engineer`])
    assert.deepEqual(await search('100%'), [`${tag} other`])
    assert.deepEqual(await search('%'), [`${tag} other`])
    assert.deepEqual(await search('the_c'), [`${tag} other`])
    assert.deepEqual(await search('_'), [`${tag} other`])
    assert.deepEqual(await search('\\o/'), [`${tag} other`])
    assert.deepEqual(await search('pay'), [`${tag} third`, `${tag} other`])
    assert.deepEqual(await search('"quoted"'), [])
    assert.deepEqual(await search('zz'), [])
  })

  it('orders by likes_count and comments_count either way, ties by id in the same direction', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const [p1, p2, p3] = [
      await newPost(ctx.app, alice, { title: 'p1' }),
      await newPost(ctx.app, alice, { title: 'p2' }),
      await newPost(ctx.app, alice, { title: 'p3' }),
    ]
    for (const who of [alice, bob]) await call(ctx.app, 'POST', `/careers/${p2!.id}/like/`, who)
    await call(ctx.app, 'POST', `/careers/${p1!.id}/like/`, bob)
    await call(ctx.app, 'POST', `/careers/${p3!.id}/comment/`, bob, { content: 'c' })
    const order = async (ordering: string): Promise<string[]> => {
      const response = await call(ctx.app, 'GET', `/careers/?username=${alice.username}&ordering=${ordering}`)
      assert.equal(response.status, 200)
      return titles(response.body)
    }
    assert.deepEqual(await order('-likes_count'), ['p2', 'p1', 'p3'])
    assert.deepEqual(await order('likes_count'), ['p3', 'p1', 'p2'])
    assert.deepEqual(await order('comments_count'), ['p1', 'p2', 'p3'])
    assert.deepEqual(await order('-comments_count'), ['p3', 'p2', 'p1'])
    assert.deepEqual(await order('created_datetime'), ['p1', 'p2', 'p3'])
    assert.deepEqual(await order('-created_datetime'), ['p3', 'p2', 'p1'])
    for (const ordering of ['title', '', '-']) {
      const bad = await call(ctx.app, 'GET', `/careers/?ordering=${ordering}`)
      assert.equal(bad.status, 400, ordering)
      assert.deepEqual(keys(bad.body), ['ordering'])
    }
  })

  it('pages in batches: clamped size, past the end empty, bad values 400', async () => {
    const alice = await register(ctx.app)
    for (let i = 0; i < 5; i++) await newPost(ctx.app, alice, { title: `n${i}` })
    const page = await call(ctx.app, 'GET', `/careers/?username=${alice.username}&batch_size=2&batch_number=2`)
    assert.deepEqual(titles(page.body), ['n0'])
    assert.deepEqual(page.body.batch_info, {
      current_batch: 2,
      batch_size: 2,
      total_posts: 5,
      total_batches: 3,
      posts_in_current_batch: 1,
    })
    const clamped = await call(ctx.app, 'GET', `/careers/?username=${alice.username}&batch_size=1000`)
    assert.equal(clamped.body.batch_info.batch_size, 100)
    const past = await call(ctx.app, 'GET', `/careers/?username=${alice.username}&batch_number=9`)
    assert.deepEqual(past.body.posts, [])
    for (const query of ['batch_size=0', 'batch_size=-1', 'batch_size=abc', 'batch_number=-1', 'batch_number=1.5']) {
      const response = await call(ctx.app, 'GET', `/careers/?${query}`)
      assert.equal(response.status, 400, query)
      assert.deepEqual(keys(response.body), [query.split('=')[0]!])
    }
  })
})

describe('GET /careers/users/me/feed/', () => {
  async function follow(who: Account, target: Account): Promise<void> {
    assert.equal((await call(ctx.app, 'POST', '/careers/users/follow/', who, { following: target.id })).status, 201)
  }

  it('my posts and those of the people I follow, newest first; total from stored counts', async () => {
    const me = await register(ctx.app)
    const followed = await register(ctx.app)
    const stranger = await register(ctx.app)
    await follow(me, followed)
    await newPost(ctx.app, me, { title: 'mine 1' })
    await newPost(ctx.app, stranger, { title: 'stranger' })
    const theirs = await newPost(ctx.app, followed, { title: 'theirs' })
    await call(ctx.app, 'POST', `/careers/${theirs.id}/share-post/`, me, { title: 'my share', content: 'x' })
    await call(ctx.app, 'POST', `/careers/${theirs.id}/like/`, me)

    const response = await call(ctx.app, 'GET', '/careers/users/me/feed/', me)
    assert.equal(response.status, 200)
    assert.deepEqual(keys(response.body), ['batch_info', 'message', 'posts'])
    assert.equal(response.body.message, 'Feed retrieved successfully')
    assert.deepEqual(titles(response.body), ['my share', 'theirs', 'mine 1'])
    response.body.posts.forEach(assertPostShape)
    assert.deepEqual(
      response.body.posts.map((p: Json) => p.is_liked),
      [false, true, false],
    )
    assert.deepEqual(response.body.batch_info, {
      current_batch: 0,
      batch_size: 10,
      total_posts: 3,
      total_batches: 1,
      posts_in_current_batch: 3,
    })

    const paged = await call(ctx.app, 'GET', '/careers/users/me/feed?batch_size=2&batch_number=1', me)
    assert.deepEqual(titles(paged.body), ['mine 1'])
    assert.equal((await call(ctx.app, 'GET', '/careers/users/me/feed/?batch_size=x', me)).status, 400)
    assert.equal((await call(ctx.app, 'GET', '/careers/users/me/feed/')).status, 401)

    const lonely = await register(ctx.app)
    const empty = await call(ctx.app, 'GET', '/careers/users/me/feed/', lonely)
    assert.deepEqual(empty.body, {
      message: 'Feed retrieved successfully',
      posts: [],
      batch_info: { current_batch: 0, batch_size: 10, total_posts: 0, total_batches: 0, posts_in_current_batch: 0 },
    })
  })
})
