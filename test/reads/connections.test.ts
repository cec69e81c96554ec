import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { followOk, register, setActive, twoAppsOnOneDatabase, updateMe, useTestApp, type Account } from '../support/index.js'

const ctx = useTestApp()

async function get(url: string, account?: Account): Promise<{ count: number; results: Array<Record<string, unknown>> }> {
  const response = await ctx.app.inject({ method: 'GET', url, headers: account?.auth ?? {} })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function follow(from: Account, to: Account): Promise<void> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/careers/users/follow/',
    headers: from.auth,
    payload: { following: to.id },
  })
  assert.equal(response.statusCode, 201, response.body)
}

async function unfollow(from: Account, to: Account): Promise<void> {
  const response = await ctx.app.inject({ method: 'DELETE', url: `/careers/users/${to.username}/unfollow/`, headers: from.auth })
  assert.equal(response.statusCode, 200, response.body)
}

describe('followers and following lists', () => {
  it('count exactly after every follow and unfollow, right after the caller’s own action', async () => {
    const star = await register(ctx.app)
    const fans = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    for (const [i, fan] of fans.entries()) {
      await follow(fan, star)
      assert.equal((await get(`/careers/users/${star.username}/followers/`)).count, i + 1)
      assert.equal((await get(`/careers/users/${fan.username}/following/`)).count, 1)
      assert.equal((await get('/careers/users/following/', fan)).count, 1)
    }
    await unfollow(fans[1]!, star)
    const followers = await get(`/careers/users/${star.username}/followers/?batch_size=2`)
    assert.equal(followers.count, 2)
    assert.deepEqual(
      followers.results.map((user) => user.id),
      [fans[2]!.id, fans[0]!.id],
    )
    assert.equal((await get('/careers/users/following/', fans[1]!)).count, 0)
    assert.equal(
      (await get(`/careers/users/${star.username}/followers/?batch_number=1&batch_size=1`)).results[0]!.id,
      fans[0]!.id,
    )
  })

  it('leave out inactive users from the count and the page, as before', async () => {
    const star = await register(ctx.app)
    const [kept, gone] = [await register(ctx.app), await register(ctx.app)]
    await follow(kept, star)
    await follow(gone, star)
    await follow(star, gone)
    await setActive(ctx.db, gone.id, false)
    const followers = await get(`/careers/users/${star.username}/followers/`)
    assert.equal(followers.count, 1)
    assert.deepEqual(
      followers.results.map((user) => user.id),
      [kept.id],
    )
    assert.equal((await get(`/careers/users/${star.username}/following/`)).count, 0)
    assert.equal((await get('/careers/users/following/', star)).count, 0)
    await setActive(ctx.db, gone.id, true)
    assert.equal((await get(`/careers/users/${star.username}/followers/`)).count, 2)
    assert.equal((await get('/careers/users/following/', star)).count, 1)
  })

  it('mark is_following for the viewer on every row of the page', async () => {
    const star = await register(ctx.app)
    const fans = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    for (const fan of fans) await follow(fan, star)
    const viewer = await register(ctx.app)
    await follow(viewer, fans[0]!)
    await follow(viewer, fans[2]!)
    const seen = await get(`/careers/users/${star.username}/followers/`, viewer)
    assert.deepEqual(
      seen.results.map((user) => [user.id, user.is_following]),
      [
        [fans[2]!.id, true],
        [fans[1]!.id, false],
        [fans[0]!.id, true],
      ],
    )
    const anonymous = await get(`/careers/users/${star.username}/followers/`)
    assert.ok(anonymous.results.every((user) => user.is_following === false))
  })
})

describe('cached anonymous pages of followers and following', () => {
  const ids = (list: { results: Array<Record<string, unknown>> }) => list.results.map((user) => user.id)

  it('show a follow, an unfollow, a follow again (back on top), a rename and a deactivation on the next read', async () => {
    const star = await register(ctx.app)
    const [a, b] = [await register(ctx.app), await register(ctx.app)]
    const followers = `/careers/users/${star.username}/followers/`
    assert.deepEqual(await get(followers), { count: 0, results: [] })
    await follow(a, star)
    await follow(b, star)
    assert.deepEqual(ids(await get(followers)), [b.id, a.id])
    // The same count as before, in another order: the version, not the count, tells them apart.
    await unfollow(a, star)
    await follow(a, star)
    assert.deepEqual(ids(await get(followers)), [a.id, b.id])
    await updateMe(ctx.app, b.auth, { first_name: 'Renamed', avatar: 'https://example.com/b.png' })
    const renamed = (await get(followers)).results[1]!
    assert.deepEqual([renamed.first_name, renamed.avatar], ['Renamed', 'https://example.com/b.png'])
    await setActive(ctx.db, a.id, false)
    assert.deepEqual(await get(followers).then((list) => [list.count, ids(list)]), [1, [b.id]])
    await setActive(ctx.db, a.id, true)
    assert.deepEqual(ids(await get(followers)), [a.id, b.id])

    const following = `/careers/users/${a.username}/following/`
    assert.deepEqual(ids(await get(following)), [star.id])
    await follow(a, b)
    assert.deepEqual(ids(await get(following)), [b.id, star.id])
    // Written straight into the table: the version still moves (trigger).
    await ctx.db.deleteFrom('follows').where('follower_id', '=', a.id).where('following_id', '=', b.id).execute()
    assert.deepEqual(ids(await get(following)), [star.id])
  })

  it('are the same JSON for every anonymous caller and never carry a viewer’s is_following', async () => {
    const star = await register(ctx.app)
    const fan = await register(ctx.app)
    const viewer = await register(ctx.app)
    await follow(fan, star)
    await follow(viewer, fan)
    const url = `/careers/users/${star.username}/followers/`
    const first = await ctx.app.inject({ method: 'GET', url })
    assert.equal(first.headers['content-type'], 'application/json; charset=utf-8')
    assert.equal((await get(url, viewer)).results[0]!.is_following, true)
    const again = await ctx.app.inject({ method: 'GET', url })
    assert.equal(again.body, first.body)
    assert.deepEqual(again.json().results[0].is_following, false)
  })

  it('in two app instances on one database see each other’s follows at once', async (t) => {
    const [one, other] = await twoAppsOnOneDatabase(t)
    const star = await register(one.app)
    const fan = await register(one.app)
    const url = `/careers/users/${star.username}/followers/`
    const read = async (app: typeof other) => (await app.inject({ method: 'GET', url })).json()
    for (const app of [one.app, other]) assert.deepEqual(await read(app), { count: 0, results: [] })
    await followOk(other, fan, star)
    for (const app of [one.app, other]) assert.deepEqual((await read(app)).count, 1)
    assert.equal(
      (await other.inject({ method: 'DELETE', url: `/careers/users/${star.username}/unfollow/`, headers: fan.auth })).statusCode,
      200,
    )
    for (const app of [one.app, other]) assert.deepEqual(await read(app), { count: 0, results: [] })
  })
})
