import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sql } from 'kysely'
import { PASSWORD, register, useTestApp, type Account } from '../helper.js'
import { assertCountersMatchRows, call, getPost, newPost, type Json } from '../posts/posts.helpers.js'

const ctx = useTestApp()
const USERS = '/careers/users'

async function ok(who: Account, method: string, path: string, payload?: unknown): Promise<Json> {
  const response = await call(ctx.app, method, path, who, payload)
  assert.ok(response.status === 200 || response.status === 201, `${method} ${path}: ${response.status} ${response.raw.body}`)
  return response.body
}

async function follow(from: Account, to: Account): Promise<void> {
  await ok(from, 'POST', `${USERS}/follow/`, { following: to.id })
}

/** The five public counts and the profile's three, for one user (both must agree). */
async function countsOf(username: string): Promise<Json> {
  const stats = await call(ctx.app, 'GET', `${USERS}/${username}/stats/`)
  const profile = await call(ctx.app, 'GET', `${USERS}/${username}/`)
  assert.equal(stats.status, 200, stats.raw.body)
  assert.equal(profile.status, 200, profile.raw.body)
  for (const key of ['posts_count', 'followers_count', 'following_count']) assert.equal(profile.body[key], stats.body[key], key)
  return stats.body
}

async function postCounts(id: number): Promise<Json> {
  const post = await getPost(ctx.app, id)
  return { likes: post.likes_count, comments: post.comments_count, shares: post.shares_count, original_post: post.original_post }
}

/** Followers/following counters against the follows rows. */
async function assertFollowCountsMatchRows(): Promise<void> {
  const rows = await sql<Json>`
    select u.id, u.followers_count, u.following_count,
      (select count(*) from follows f where f.following_id = u.id) as followers,
      (select count(*) from follows f where f.follower_id = u.id) as following
    from users u`.execute(ctx.db)
  assert.deepEqual(
    rows.rows.filter((r) => r.followers_count !== Number(r.followers) || r.following_count !== Number(r.following)),
    [],
  )
}

/**
 * G (the leaving user) has posts, reacts to others' posts, and others react to, share and share-post G's
 * posts; follows go both ways. Returns the accounts and the posts that must survive.
 */
async function scene(): Promise<{ g: Account; a: Account; b: Account; c: Account; posts: Record<string, number> }> {
  const [g, a, b, c] = [await register(ctx.app), await register(ctx.app), await register(ctx.app), await register(ctx.app)]
  const g1 = (await newPost(ctx.app, g)).id as number
  const g2 = (await newPost(ctx.app, g)).id as number
  const a1 = (await newPost(ctx.app, a)).id as number
  const b1 = (await newPost(ctx.app, b)).id as number
  const as = (await ok(a, 'POST', `/careers/${g1}/share-post/`, { title: 'kept', content: 'a share of G1' })).id as number
  const cs = (await ok(c, 'POST', `/careers/${g2}/share-post/`, { title: 'kept', content: 'a share of G2' })).id as number
  // G on others' posts (and on its own).
  await ok(g, 'POST', `/careers/${a1}/like/`)
  await ok(g, 'POST', `/careers/${a1}/comment/`, { content: 'one' })
  await ok(g, 'POST', `/careers/${a1}/comment/`, { content: 'two' })
  await ok(g, 'POST', `/careers/${a1}/share/`)
  await ok(g, 'POST', `/careers/${b1}/like/`)
  await ok(g, 'POST', `/careers/${b1}/comment/`, { content: 'three' })
  await ok(g, 'POST', `/careers/${b1}/share-post/`, { title: 'goes', content: 'with G' })
  await ok(g, 'POST', `/careers/${as}/like/`)
  await ok(g, 'POST', `/careers/${cs}/share/`)
  await ok(g, 'POST', `/careers/${g1}/like/`)
  // Others on G's posts.
  await ok(a, 'POST', `/careers/${g1}/like/`)
  await ok(b, 'POST', `/careers/${g1}/like/`)
  await ok(b, 'POST', `/careers/${g1}/comment/`, { content: 'b1' })
  await ok(b, 'POST', `/careers/${g2}/comment/`, { content: 'b2' })
  await ok(c, 'POST', `/careers/${g1}/share/`)
  // Others among themselves.
  await ok(b, 'POST', `/careers/${a1}/like/`)
  await ok(c, 'POST', `/careers/${a1}/comment/`, { content: 'c' })
  await ok(a, 'POST', `/careers/${b1}/like/`)
  await ok(b, 'POST', `/careers/${as}/like/`)
  // Follows both ways, and some without G.
  for (const [from, to] of [
    [g, a],
    [g, b],
    [a, g],
    [c, g],
    [a, b],
    [b, c],
  ] as const)
    await follow(from, to)
  return { g, a, b, c, posts: { g1, g2, a1, b1, as, cs } }
}

describe('DELETE me/ with posts, reactions and follows', () => {
  it("moves every remaining user's and post's counts exactly; share-posts of its posts stay, orphaned", async () => {
    const { g, a, b, c, posts } = await scene()
    const otherSession = await ok(g, 'POST', `${USERS}/login/`, { username: g.email, password: PASSWORD })
    assert.deepEqual(await countsOf(g.username), {
      posts_count: 3,
      followers_count: 2,
      following_count: 2,
      likes_received: 3,
      comments_received: 2,
    })

    const deleted = await call(ctx.app, 'DELETE', `${USERS}/me/`, g, { password: PASSWORD })
    assert.equal(deleted.status, 204, deleted.raw.body)
    assert.equal(deleted.raw.body, '')

    assert.deepEqual(await countsOf(a.username), {
      posts_count: 2,
      followers_count: 0,
      following_count: 1,
      likes_received: 2,
      comments_received: 1,
    })
    assert.deepEqual(await countsOf(b.username), {
      posts_count: 1,
      followers_count: 1,
      following_count: 1,
      likes_received: 1,
      comments_received: 0,
    })
    assert.deepEqual(await countsOf(c.username), {
      posts_count: 1,
      followers_count: 1,
      following_count: 0,
      likes_received: 0,
      comments_received: 0,
    })
    assert.deepEqual(await postCounts(posts.a1!), { likes: 1, comments: 1, shares: 0, original_post: null })
    assert.deepEqual(await postCounts(posts.b1!), { likes: 1, comments: 0, shares: 0, original_post: null })
    assert.deepEqual(await postCounts(posts.as!), { likes: 1, comments: 0, shares: 0, original_post: null })
    assert.deepEqual(await postCounts(posts.cs!), { likes: 0, comments: 0, shares: 0, original_post: null })
    for (const id of [posts.g1, posts.g2]) assert.equal((await call(ctx.app, 'GET', `/careers/${id}/`)).status, 404)
    const list = await call(ctx.app, 'GET', '/careers/', undefined)
    assert.deepEqual(
      list.body.posts.map((post: Json) => post.username).sort(),
      [a.username, a.username, b.username, c.username].sort(),
    )
    assert.equal(list.body.batch_info.total_posts, 4)
    const likers = await call(ctx.app, 'GET', `/careers/${posts.a1}/likes/`)
    assert.deepEqual(
      likers.body.likes.map((like: Json) => like.user),
      [b.id],
    )
    assert.equal((await call(ctx.app, 'GET', `${USERS}/${a.username}/followers/`)).body.count, 0)
    await assertCountersMatchRows(ctx.db)
    await assertFollowCountsMatchRows()

    // The account is gone: profile, stats, every token of every session.
    assert.equal((await call(ctx.app, 'GET', `${USERS}/${g.username}/`)).status, 404)
    assert.equal((await call(ctx.app, 'GET', `${USERS}/${g.username}/stats/`)).status, 404)
    for (const access of [g.access, otherSession.access as string]) {
      const me = await ctx.app.inject({ method: 'GET', url: `${USERS}/me/`, headers: { authorization: `Bearer ${access}` } })
      assert.equal(me.statusCode, 401)
      assert.equal(me.json().code, 'token_not_valid')
    }
    const refreshed = await call(ctx.app, 'POST', `${USERS}/token/refresh/`, undefined, { refresh: g.refresh })
    assert.equal(refreshed.status, 401)
    // Its username and email can be registered again (any case).
    const again = await register(ctx.app, { username: g.username.toUpperCase(), email: g.email })
    assert.deepEqual(await countsOf(again.username), {
      posts_count: 0,
      followers_count: 0,
      following_count: 0,
      likes_received: 0,
      comments_received: 0,
    })
  })

  it('a wrong or missing password changes nothing', async () => {
    const { g, a, b, c, posts } = await scene()
    const snapshot = async (): Promise<unknown> => ({
      users: await Promise.all([g, a, b, c].map((user) => countsOf(user.username))),
      posts: await Promise.all(Object.values(posts).map((id) => postCounts(id))),
    })
    const before = await snapshot()
    for (const payload of [{ password: 'wrong-password' }, { password: PASSWORD.toUpperCase() }, {}]) {
      const refused = await call(ctx.app, 'DELETE', `${USERS}/me/`, g, payload)
      assert.equal(refused.status, 400, refused.raw.body)
      assert.deepEqual(Object.keys(refused.body), ['password'])
    }
    assert.deepEqual(await snapshot(), before)
    assert.equal((await call(ctx.app, 'GET', `${USERS}/me/`, g)).status, 200)
    assert.equal((await call(ctx.app, 'POST', `${USERS}/token/refresh/`, undefined, { refresh: g.refresh })).status, 200)
  })

  it('racing likes, comments, follows and unfollows: no 5xx, counters equal rows', async () => {
    const { g, a, b, c, posts } = await scene()
    const others = [a, b, c]
    const racing = [
      call(ctx.app, 'DELETE', `${USERS}/me/`, g, { password: PASSWORD }),
      ...others.map((who) => call(ctx.app, 'POST', `/careers/${posts.g2}/like/`, who)),
      ...others.map((who) => call(ctx.app, 'POST', `/careers/${posts.g1}/comment/`, who, { content: 'race' })),
      call(ctx.app, 'POST', `${USERS}/follow/`, b, { following: g.id }),
      call(ctx.app, 'DELETE', `${USERS}/${g.username}/unfollow/`, a),
      call(ctx.app, 'DELETE', `${USERS}/${a.username}/unfollow/`, g),
      call(ctx.app, 'POST', `/careers/${posts.a1}/like/`, c),
      call(ctx.app, 'POST', `/careers/${posts.cs}/comment/`, g, { content: 'late' }),
    ]
    const results = await Promise.all(racing)
    for (const result of results) assert.ok(result.status < 500, `${result.status} ${result.raw.body}`)
    assert.equal(results[0]!.status, 204)
    assert.equal((await call(ctx.app, 'GET', `${USERS}/${g.username}/`)).status, 404)
    await assertCountersMatchRows(ctx.db)
    await assertFollowCountsMatchRows()
  })
  it('accounts that follow, like and comment on each other, deleted at once: every one 204, counts exact', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => register(ctx.app)))
    const posts = await Promise.all(
      users.map(async (who) => (await ok(who, 'POST', '/careers/create/', { title: 't', content: 'c' })).id as number),
    )
    for (const who of users) {
      for (const [i, other] of users.entries()) {
        if (other !== who) await follow(who, other)
        await ok(who, 'POST', `/careers/${posts[i]}/like/`)
        await ok(who, 'POST', `/careers/${posts[i]}/comment/`, { content: 'x' })
      }
    }
    const survivor = await register(ctx.app)
    await follow(survivor, users[0]!)
    await ok(survivor, 'POST', `/careers/${posts[0]}/like/`)
    const deleted = users.slice(0, 4)
    const results = await Promise.all(deleted.map((who) => call(ctx.app, 'DELETE', `${USERS}/me/`, who, { password: PASSWORD })))
    assert.deepEqual(
      results.map((result) => result.status),
      deleted.map(() => 204),
      results.map((result) => result.raw.body).join(' '),
    )
    for (const who of users.slice(4)) {
      const counts = await countsOf(who.username)
      assert.equal(counts.followers_count, 1)
      assert.equal(counts.following_count, 1)
      assert.equal(counts.likes_received, 2)
      assert.equal(counts.comments_received, 2)
    }
    assert.equal((await countsOf(survivor.username)).following_count, 0)
    await assertCountersMatchRows(ctx.db)
    await assertFollowCountsMatchRows()
  })
})
