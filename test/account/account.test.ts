import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, PASSWORD, register, useTestApp, type Account } from '../helper.js'

const ctx = useTestApp()
const BASE = '/careers/users'

async function login(username: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: `${BASE}/login/`, payload: { username, password }, headers })
}

async function me(auth: { authorization: string }) {
  return ctx.app.inject({ method: 'GET', url: `${BASE}/me/`, headers: auth })
}

async function sessions(account: Account) {
  return ctx.app.inject({ method: 'GET', url: `${BASE}/me/sessions/`, headers: account.auth })
}

async function follow(from: Account, to: Account): Promise<void> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `${BASE}/follow/`,
    headers: from.auth,
    payload: { following: to.id },
  })
  assert.equal(response.statusCode, 201, response.body)
}

async function stats(username: string) {
  return (await ctx.app.inject({ method: 'GET', url: `${BASE}/${username}/stats/` })).json()
}

describe('GET {username}/stats/', () => {
  it('answers the five counts for anyone, any case; unknown → 404', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await follow(bob, alice)
    const response = await ctx.app.inject({ method: 'GET', url: `${BASE}/${alice.username.toUpperCase()}/stats` })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      posts_count: 0,
      followers_count: 1,
      following_count: 0,
      likes_received: 0,
      comments_received: 0,
    })
    assert.equal((await ctx.app.inject({ method: 'GET', url: `${BASE}/nobody-here/stats/` })).statusCode, 404)
    assert.equal((await ctx.app.inject({ method: 'GET', url: `${BASE}/${alice.username}/` })).json().username, alice.username)
  })
})

describe('sessions', () => {
  it('lists open sessions newest first, with ip, user agent and current', async () => {
    const alice = await register(ctx.app)
    const second = (await login(alice.username, PASSWORD, { 'user-agent': 'phone/1.0' })).json()
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${BASE}/me/sessions/`,
      headers: { authorization: `Bearer ${second.access}` },
    })
    assert.equal(response.statusCode, 200)
    const body = response.json()
    assert.equal(body.count, 2)
    assert.deepEqual(keys(body.results[0]), ['created_at', 'current', 'expires_at', 'id', 'ip', 'last_used_at', 'user_agent'])
    assert.equal(body.results[0].user_agent, 'phone/1.0')
    assert.equal(body.results[0].ip, '127.0.0.1')
    assert.equal(body.results[0].current, true)
    assert.equal(body.results[1].current, false)
    assert.ok(body.results[0].created_at >= body.results[1].created_at)
  })

  it('refresh moves last_used_at', async () => {
    const alice = await register(ctx.app)
    const before = (await sessions(alice)).json().results[0]
    await new Promise((resolve) => setTimeout(resolve, 5))
    const refreshed = await ctx.app.inject({ method: 'POST', url: `${BASE}/token/refresh/`, payload: { refresh: alice.refresh } })
    assert.equal(refreshed.statusCode, 200)
    const after = (await sessions(alice)).json().results[0]
    assert.ok(after.last_used_at > before.last_used_at)
    assert.equal(after.created_at, before.created_at)
  })

  it("ends one session (its tokens stop working); another user's, unknown or ended → 404", async () => {
    const alice = await register(ctx.app)
    const other = (await login(alice.username)).json()
    const mallory = await register(ctx.app)
    const target = (await sessions(alice)).json().results.find((session: { current: boolean }) => !session.current)
    const url = `${BASE}/me/sessions/${target.id}/`
    assert.equal((await ctx.app.inject({ method: 'DELETE', url, headers: mallory.auth })).statusCode, 404)
    assert.equal((await me({ authorization: `Bearer ${other.access}` })).statusCode, 200)
    const ended = await ctx.app.inject({ method: 'DELETE', url, headers: alice.auth })
    assert.equal(ended.statusCode, 200)
    assert.deepEqual(ended.json(), { message: 'Session ended' })
    const rejected = await me({ authorization: `Bearer ${other.access}` })
    assert.equal(rejected.statusCode, 401)
    assert.equal(rejected.json().code, 'token_not_valid')
    assert.equal((await ctx.app.inject({ method: 'DELETE', url, headers: alice.auth })).statusCode, 404)
    assert.equal(
      (await ctx.app.inject({ method: 'DELETE', url: `${BASE}/me/sessions/nope/`, headers: alice.auth })).statusCode,
      404,
    )
    for (const id of ['x'.repeat(200), '%00', 'a%00b', `${target.id.slice(0, -1)}%00`]) {
      const response = await ctx.app.inject({ method: 'DELETE', url: `${BASE}/me/sessions/${id}/`, headers: alice.auth })
      assert.deepEqual([response.statusCode, response.json()], [404, { detail: 'Not found.' }], id)
    }
    assert.equal((await me(alice.auth)).statusCode, 200)
  })

  it('logout/all ends every session: access and refresh tokens', async () => {
    const alice = await register(ctx.app)
    const other = (await login(alice.username)).json()
    const response = await ctx.app.inject({ method: 'POST', url: `${BASE}/logout/all/`, headers: alice.auth })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { message: 'Logged out of all sessions' })
    for (const access of [alice.access, other.access]) {
      const rejected = await me({ authorization: `Bearer ${access}` })
      assert.equal(rejected.statusCode, 401)
      assert.equal(rejected.json().code, 'token_not_valid')
    }
    const refresh = await ctx.app.inject({ method: 'POST', url: `${BASE}/token/refresh/`, payload: { refresh: other.refresh } })
    assert.equal(refresh.statusCode, 401)
    assert.equal((await ctx.app.inject({ method: 'POST', url: `${BASE}/logout/all/` })).statusCode, 401)
  })
})

describe('POST me/password/', () => {
  const url = `${BASE}/me/password/`

  it('refuses a wrong old password, a weak new one and a mismatch, changing nothing', async () => {
    const alice = await register(ctx.app)
    const wrong = await ctx.app.inject({
      method: 'POST',
      url,
      headers: alice.auth,
      payload: { old_password: 'not-it-at-all', new_password: 'fresh-pass-1', new_password_confirm: 'fresh-pass-1' },
    })
    assert.equal(wrong.statusCode, 400)
    assert.deepEqual(keys(wrong.json()), ['old_password'])
    const weak = await ctx.app.inject({
      method: 'POST',
      url,
      headers: alice.auth,
      payload: { old_password: PASSWORD, new_password: '1234567', new_password_confirm: '1234567' },
    })
    assert.equal(weak.statusCode, 400)
    assert.equal(weak.json().new_password.length, 2)
    const mismatch = await ctx.app.inject({
      method: 'POST',
      url,
      headers: alice.auth,
      payload: { old_password: PASSWORD, new_password: 'fresh-pass-1', new_password_confirm: 'fresh-pass-2' },
    })
    assert.deepEqual(mismatch.json(), { new_password_confirm: ['Passwords do not match.'] })
    const missing = await ctx.app.inject({ method: 'POST', url, headers: alice.auth, payload: {} })
    assert.deepEqual(keys(missing.json()), ['new_password', 'new_password_confirm', 'old_password'])
    assert.equal((await login(alice.username)).statusCode, 200)
  })

  it('changes it: every other session ends, the caller stays', async () => {
    const alice = await register(ctx.app)
    const other = (await login(alice.username)).json()
    const response = await ctx.app.inject({
      method: 'POST',
      url,
      headers: alice.auth,
      payload: { old_password: PASSWORD, new_password: 'fresh-pass-1', new_password_confirm: 'fresh-pass-1' },
    })
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json(), { message: 'Password changed' })
    assert.equal((await me(alice.auth)).statusCode, 200)
    assert.equal((await me({ authorization: `Bearer ${other.access}` })).statusCode, 401)
    assert.equal((await sessions(alice)).json().count, 1)
    assert.equal((await login(alice.username)).statusCode, 401)
    assert.equal((await login(alice.username, 'fresh-pass-1')).statusCode, 200)
  })
})

describe('DELETE me/', () => {
  it('a wrong or missing password → 400 on password, and nothing changes', async () => {
    const alice = await register(ctx.app)
    const bob = await register(ctx.app)
    await follow(alice, bob)
    for (const payload of [{ password: 'wrong-password' }, {}, undefined]) {
      const response = await ctx.app.inject({
        method: 'DELETE',
        url: `${BASE}/me/`,
        headers: alice.auth,
        ...(payload ? { payload } : {}),
      })
      assert.equal(response.statusCode, 400, response.body)
      assert.deepEqual(keys(response.json()), ['password'])
    }
    assert.equal((await me(alice.auth)).statusCode, 200)
    assert.equal((await stats(bob.username)).followers_count, 1)
  })

  it('deletes the account, its sessions and follows, moving everyone’s counts', async () => {
    const [alice, bob, carol] = [await register(ctx.app), await register(ctx.app), await register(ctx.app)]
    await follow(alice, bob)
    await follow(carol, alice)
    await follow(bob, alice)
    await follow(bob, carol)
    const other = (await login(alice.username)).json()
    const response = await ctx.app.inject({
      method: 'DELETE',
      url: `${BASE}/me`,
      headers: alice.auth,
      payload: { password: PASSWORD },
    })
    assert.equal(response.statusCode, 204)
    assert.equal(response.body, '')
    for (const access of [alice.access, other.access])
      assert.equal((await me({ authorization: `Bearer ${access}` })).json().code, 'token_not_valid')
    assert.equal((await ctx.app.inject({ method: 'GET', url: `${BASE}/${alice.username}/` })).statusCode, 404)
    assert.equal((await login(alice.username)).statusCode, 401)
    assert.deepEqual(await stats(bob.username), {
      posts_count: 0,
      followers_count: 0,
      following_count: 1,
      likes_received: 0,
      comments_received: 0,
    })
    assert.deepEqual(await stats(carol.username), {
      posts_count: 0,
      followers_count: 1,
      following_count: 0,
      likes_received: 0,
      comments_received: 0,
    })
    const followers = await ctx.app.inject({ method: 'GET', url: `${BASE}/${bob.username}/followers/` })
    assert.equal(followers.json().count, 0)
    // The name is free again.
    await register(ctx.app, { username: alice.username })
  })
})
