import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { register, twoAppsOnOneDatabase, updateMe } from '../support/index.js'
import type { Json } from '../posts/posts.helpers.js'

// Under load, identical reads of profiles and totals share one query (on PostgreSQL). A caller must still
// see every write that finished before it asked, even one made by another process.
async function json(app: FastifyInstance, url: string): Promise<Json> {
  const response = await app.inject({ method: 'GET', url })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

/** Keeps `width` identical reads of each url in flight on `app` until `stop` is set. */
function background(app: FastifyInstance, urls: string[], width: number, state: { stop: boolean }): Promise<unknown> {
  const lane = async (url: string): Promise<void> => {
    while (!state.stop) {
      await json(app, url)
      // Lets timers and I/O in: on SQLite every read here completes without waiting for any.
      await new Promise((done) => setImmediate(done))
    }
  }
  return Promise.all(urls.flatMap((url) => Array.from({ length: width }, () => lane(url))))
}

describe('reads shared under load', () => {
  it('never answer older than the caller, across two processes', async (t) => {
    const [first, second] = await twoAppsOnOneDatabase(t)
    const account = await register(first.app)
    const profile = `/careers/users/${account.username}/`
    const list = '/careers/users/?batch_size=1'
    const state = { stop: false }
    const load = background(first.app, [profile, list, `/careers/users/${account.username}/followers/`], 12, state)
    try {
      let total = (await json(second, list)).batch_info.total_users
      for (let round = 1; round <= 15; round++) {
        await updateMe(second, account.auth, { first_name: `Round${round}` })
        assert.equal((await json(first.app, profile)).first_name, `Round${round}`)
        const follower = await register(second)
        total++
        assert.equal((await json(first.app, list)).batch_info.total_users, total)
        await second.inject({
          method: 'POST',
          url: '/careers/users/follow/',
          headers: follower.auth,
          payload: { following: account.id },
        })
        const followers = await json(first.app, `/careers/users/${account.username}/followers/`)
        assert.equal(followers.count, round)
      }
    } finally {
      state.stop = true
      await load
    }
  })
})
