import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ISO_UTC, keys, PUBLIC_PROFILE_KEYS, register, setActive, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()

describe('GET /careers/users/{username}/', () => {
  it('answers exactly the seed shape, looked up case-insensitively', async () => {
    const account = await register(ctx.app, { first_name: 'Pat', bio: 'Hello' })
    const response = await ctx.app.inject({ method: 'GET', url: `/careers/users/${account.username.toUpperCase()}/` })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), PUBLIC_PROFILE_KEYS)
    assert.equal(json.id, account.id)
    assert.equal(json.username, account.username)
    assert.equal(json.bio, 'Hello')
    assert.equal(json.avatar, null)
    assert.match(json.created_at, ISO_UTC)
    assert.equal(json.posts_count, 0)
    assert.ok(!response.body.includes(account.email))
  })

  it('is 404 for unknown, malformed and deactivated users', async () => {
    const inactive = await register(ctx.app)
    await setActive(ctx.db, inactive.id, false)
    for (const username of [uniqueName('ghost'), 'a%20b', 'x', inactive.username, 'nul%00byte']) {
      const response = await ctx.app.inject({ method: 'GET', url: `/careers/users/${username}/` })
      assert.equal(response.statusCode, 404, username)
      assert.deepEqual(response.json(), { detail: 'Not found.' })
    }
  })

  it('`me` is the caller, and 401 without a token', async () => {
    const account = await register(ctx.app)
    const mine = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/followers/', headers: account.auth })
    assert.equal(mine.statusCode, 200)
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/careers/users/me/followers/' })).statusCode, 401)
  })
})

describe('GET /careers/users/me/', () => {
  it('answers exactly the seed shape, with email and updated_at', async () => {
    const account = await register(ctx.app, { first_name: 'Me' })
    const response = await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), [
      'avatar',
      'bio',
      'created_at',
      'email',
      'first_name',
      'followers_count',
      'following_count',
      'id',
      'last_name',
      'posts_count',
      'updated_at',
      'username',
    ])
    assert.equal(json.email, account.email)
    assert.match(json.updated_at, ISO_UTC)
  })
})
