import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { checked, FUZZ_RUNS, register, useTestApp, type Account } from '../support/index.js'

const ctx = useTestApp()
const BASE = '/careers/users'

describe('fuzz: the follow graph against a model', () => {
  const users: Account[] = []

  before(async () => {
    for (let index = 0; index < 4; index++) users.push(await register(ctx.app))
  })

  async function followingIds(account: Account): Promise<Set<number>> {
    const response = await checked(ctx.app, { method: 'GET', url: `${BASE}/following/?batch_size=1000`, headers: account.auth })
    return new Set((response.json().results as { following: number }[]).map((follow) => follow.following))
  }

  async function assertCountsMatch(model: Map<number, Set<number>>): Promise<void> {
    for (const account of users) {
      const follows = model.get(account.id)!
      const followers = users.filter((other) => model.get(other.id)!.has(account.id)).length
      const profile = (await checked(ctx.app, { method: 'GET', url: `${BASE}/${account.username}/` })).json()
      assert.equal(profile.following_count, follows.size, `${account.username} following_count`)
      assert.equal(profile.followers_count, followers, `${account.username} followers_count`)
      const listed = (await checked(ctx.app, { method: 'GET', url: `${BASE}/${account.username}/followers/` })).json()
      assert.equal(listed.count, followers)
      assert.deepEqual(
        new Set((listed.results as { id: number }[]).map((user) => user.id)),
        new Set(users.filter((other) => model.get(other.id)!.has(account.id)).map((other) => other.id)),
      )
    }
  }

  it('follow and unfollow sequences answer 201/400 and 200/400 exactly as a set model says', async () => {
    const operation = fc.record({
      kind: fc.constantFrom('follow', 'unfollow'),
      from: fc.integer({ min: 0, max: 3 }),
      to: fc.integer({ min: 0, max: 3 }),
      upper: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 15 }), async (operations) => {
        const model = new Map<number, Set<number>>()
        for (const account of users) model.set(account.id, await followingIds(account))
        for (const { kind, from, to, upper } of operations) {
          const follower = users[from]!
          const followee = users[to]!
          const follows = model.get(follower.id)!
          if (kind === 'follow') {
            const response = await checked(ctx.app, {
              method: 'POST',
              url: `${BASE}/follow/`,
              headers: follower.auth,
              body: JSON.stringify({ following: followee.id }),
              contentType: 'application/json',
            })
            const expected = follower.id === followee.id || follows.has(followee.id) ? 400 : 201
            assert.equal(response.statusCode, expected, response.body)
            if (expected === 201) follows.add(followee.id)
          } else {
            const name = upper ? followee.username.toUpperCase() : followee.username
            const response = await checked(ctx.app, {
              method: 'DELETE',
              url: `${BASE}/${name}/unfollow/`,
              headers: follower.auth,
            })
            const expected = follows.has(followee.id) ? 200 : 400
            assert.equal(response.statusCode, expected, response.body)
            if (expected === 200) {
              assert.deepEqual(response.json(), { message: `Stopped following ${followee.username}` })
              follows.delete(followee.id)
            }
          }
        }
        await assertCountsMatch(model)
      }),
      { numRuns: Math.max(10, Math.floor(FUZZ_RUNS / 4)) },
    )
  })

  it('concurrent duplicate follows and unfollows: exactly one succeeds, the rest answer 400, counts stay exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 2, max: 6 }),
        async (from, to, copies) => {
          fc.pre(from !== to)
          const follower = users[from]!
          const followee = users[to]!
          // Start from "not following".
          await checked(ctx.app, { method: 'DELETE', url: `${BASE}/${followee.username}/unfollow/`, headers: follower.auth })
          const follows = await Promise.all(
            Array.from({ length: copies }, () =>
              checked(ctx.app, {
                method: 'POST',
                url: `${BASE}/follow/`,
                headers: follower.auth,
                body: JSON.stringify({ following: followee.id }),
                contentType: 'application/json',
              }),
            ),
          )
          assert.deepEqual(follows.map((response) => response.statusCode).sort(), [201, ...Array(copies - 1).fill(400)])
          const unfollows = await Promise.all(
            Array.from({ length: copies }, () =>
              checked(ctx.app, { method: 'DELETE', url: `${BASE}/${followee.username}/unfollow/`, headers: follower.auth }),
            ),
          )
          assert.deepEqual(unfollows.map((response) => response.statusCode).sort(), [200, ...Array(copies - 1).fill(400)])
          const model = new Map<number, Set<number>>()
          for (const account of users) model.set(account.id, await followingIds(account))
          await assertCountsMatch(model)
        },
      ),
      { numRuns: Math.max(10, Math.floor(FUZZ_RUNS / 10)) },
    )
  })
})
