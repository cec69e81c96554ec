import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { register, setActive, useTestApp, type Account } from '../support/index.js'

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
