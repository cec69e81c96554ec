import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  connections,
  counts,
  followOk,
  keys,
  NOT_FOUND,
  NOT_PROVIDED,
  otherCase,
  register,
  setActive,
  unfollow,
  uniqueName,
  USERS,
  useTestApp,
} from '../support/index.js'

const ctx = useTestApp()

describe('follower and following counts', () => {
  it('move by exactly one on follow and back on unfollow, on the profile and on me/stats', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const carol = await register(ctx.app)
    // Some unrelated activity first, so that the counts are not all zero.
    await followOk(ctx.app, carol, alice)
    await followOk(ctx.app, bob, carol)
    const aliceBefore = await counts(ctx.app, alice)
    const bobBefore = await counts(ctx.app, bob)
    assert.deepEqual(aliceBefore, { followers: 1, following: 0 })
    assert.deepEqual(bobBefore, { followers: 0, following: 1 })

    await followOk(ctx.app, alice, bob)
    assert.deepEqual(await counts(ctx.app, alice), { followers: aliceBefore.followers, following: aliceBefore.following + 1 })
    assert.deepEqual(await counts(ctx.app, bob), { followers: bobBefore.followers + 1, following: bobBefore.following })

    const response = await unfollow(ctx.app, alice, bob.username)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(await counts(ctx.app, alice), aliceBefore)
    assert.deepEqual(await counts(ctx.app, bob), bobBefore)
    assert.deepEqual(await counts(ctx.app, carol), { followers: 1, following: 1 })
  })

  it('a refused unfollow leaves the counts alone', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, bob, alice)
    assert.equal((await unfollow(ctx.app, alice, bob.username)).statusCode, 400)
    assert.deepEqual(await counts(ctx.app, alice), { followers: 1, following: 0 })
    assert.deepEqual(await counts(ctx.app, bob), { followers: 0, following: 1 })
  })
})

describe('DELETE /careers/users/{username}/unfollow/', () => {
  it('answers 200 with the username as stored, whatever the case in the path', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app, { username: uniqueName('BobCase') })
    await followOk(ctx.app, alice, bob)
    const response = await unfollow(ctx.app, alice, otherCase(bob.username))
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: `Stopped following ${bob.username}` })
    const followers = await connections(ctx.app, bob.username, 'followers')
    assert.deepEqual(followers.json(), { count: 0, results: [] })
  })

  it('works without the trailing slash', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, alice, bob)
    const response = await ctx.app.inject({ method: 'DELETE', url: `${USERS}/${bob.username}/unfollow`, headers: alice.auth })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: `Stopped following ${bob.username}` })
  })

  it('answers 400 {detail} when not following, including a second unfollow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const never = await unfollow(ctx.app, alice, bob.username)
    assert.equal(never.statusCode, 400)
    assert.deepEqual(keys(never.json()), ['detail'])
    assert.equal(typeof never.json().detail, 'string')

    await followOk(ctx.app, alice, bob)
    assert.equal((await unfollow(ctx.app, alice, bob.username)).statusCode, 200)
    const twice = await unfollow(ctx.app, alice, bob.username)
    assert.equal(twice.statusCode, 400)
    assert.deepEqual(keys(twice.json()), ['detail'])
  })

  it('does not undo the reverse follow', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, bob, alice)
    assert.equal((await unfollow(ctx.app, alice, bob.username)).statusCode, 400)
    assert.equal((await connections(ctx.app, alice.username, 'followers')).json().count, 1)
  })

  it('answers 404 "Not found." for an unknown or malformed username', async () => {
    const alice = await register(ctx.app)
    for (const username of [uniqueName('ghost'), 'bad!name', 'x'.repeat(151)]) {
      const response = await unfollow(ctx.app, alice, username)
      assert.equal(response.statusCode, 404, username)
      assert.deepEqual(response.json(), NOT_FOUND)
    }
  })

  it('answers 404 for a deactivated user', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await setActive(ctx.db, bob.id, false)
    const response = await unfollow(ctx.app, alice, bob.username)
    assert.equal(response.statusCode, 404)
    assert.deepEqual(response.json(), NOT_FOUND)
  })

  it('needs a token', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await followOk(ctx.app, alice, bob)
    const response = await ctx.app.inject({ method: 'DELETE', url: `${USERS}/${bob.username}/unfollow/` })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), NOT_PROVIDED)
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    assert.equal((await connections(ctx.app, bob.username, 'followers')).json().count, 1, 'still following')
  })

  it('lets the user follow again afterwards, with a new follow object', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    const first = await followOk(ctx.app, alice, bob)
    assert.equal((await unfollow(ctx.app, alice, bob.username)).statusCode, 200)
    const second = await followOk(ctx.app, alice, bob)
    assert.notEqual(second.id, first.id)
    assert.deepEqual(await counts(ctx.app, bob), { followers: 1, following: 0 })
  })
})
