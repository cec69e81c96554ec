import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, register, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()

describe('PATCH /careers/users/me/update/', () => {
  const UPDATE = '/careers/users/me/update/'

  it('changes any subset and answers exactly the seed shape', async () => {
    const account = await register(ctx.app, { first_name: 'Alice', last_name: 'Smith', bio: 'Old' })
    const before = (await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })).json()
    await new Promise((resolve) => setTimeout(resolve, 5))
    const email = `${uniqueName('new')}@example.com`
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { last_name: 'Johnson', bio: 'Updated bio', avatar: 'https://example.com/new-avatar.jpg', email },
    })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['avatar', 'bio', 'email', 'first_name', 'id', 'last_name', 'updated_at', 'username'])
    assert.deepEqual(
      { ...json, updated_at: undefined },
      {
        id: account.id,
        username: account.username,
        email,
        first_name: 'Alice',
        last_name: 'Johnson',
        bio: 'Updated bio',
        avatar: 'https://example.com/new-avatar.jpg',
        updated_at: undefined,
      },
    )
    assert.ok(json.updated_at > before.updated_at)
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/careers/users/login/',
      payload: { username: email, password: 'password123' },
    })
    assert.equal(login.statusCode, 200)
  })

  it('clears the avatar with null or ""', async () => {
    const account = await register(ctx.app, { avatar: 'https://example.com/a.png' })
    for (const avatar of [null, '']) {
      await ctx.app.inject({
        method: 'PATCH',
        url: UPDATE,
        headers: account.auth,
        payload: { avatar: 'https://example.com/b.png' },
      })
      const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { avatar } })
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().avatar, null)
    }
  })

  it('refuses keys that cannot be changed here, and changes nothing', async () => {
    const account = await register(ctx.app, { bio: 'Original' })
    for (const field of ['username', 'id', 'password', 'created_at', 'is_staff', 'followers_count', 'is_active']) {
      const response = await ctx.app.inject({
        method: 'PATCH',
        url: UPDATE,
        headers: account.auth,
        payload: { bio: 'Changed', [field]: field === 'id' ? 1 : 'x' },
      })
      assert.equal(response.statusCode, 400, field)
      assert.deepEqual(response.json(), { [field]: ['This field cannot be changed here.'] })
    }
    const profile = (await ctx.app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })).json()
    assert.equal(profile.bio, 'Original')
    assert.equal(profile.username, account.username)
  })

  it('validates fields as at registration', async () => {
    const account = await register(ctx.app)
    for (const [field, value] of [
      ['email', 'nope'],
      ['email', null],
      ['avatar', 'javascript:alert(1)'],
      ['first_name', 'x'.repeat(151)],
      ['bio', 'x'.repeat(1001)],
      ['last_name', null],
      ['bio', 5],
    ] as const) {
      const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, headers: account.auth, payload: { [field]: value } })
      assert.equal(response.statusCode, 400, `${field}=${String(value)}`)
      assert.deepEqual(keys(response.json()), [field])
    }
  })

  it("refuses another account's email in any case, accepts a case change of one's own", async () => {
    const account = await register(ctx.app)
    const other = await register(ctx.app)
    const taken = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { email: other.email.toUpperCase() },
    })
    assert.equal(taken.statusCode, 400)
    assert.deepEqual(keys(taken.json()), ['email'])
    const own = await ctx.app.inject({
      method: 'PATCH',
      url: UPDATE,
      headers: account.auth,
      payload: { email: account.email.toUpperCase() },
    })
    assert.equal(own.statusCode, 200)
    assert.equal(own.json().email, account.email.toUpperCase())
  })

  it('needs a token', async () => {
    const response = await ctx.app.inject({ method: 'PATCH', url: UPDATE, payload: { bio: 'x' } })
    assert.equal(response.statusCode, 401)
  })
})
