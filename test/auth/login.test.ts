import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { keys, PASSWORD, register, setActive, uniqueName, useTestApp } from '../support/index.js'

const ctx = useTestApp()
const LOGIN = '/careers/users/login/'

describe('POST /careers/users/login/', () => {
  it('logs in by username, answering exactly the seed shape', async () => {
    const account = await register(ctx.app, { first_name: 'Lo', last_name: 'Gin' })
    const response = await ctx.app.inject({
      method: 'POST',
      url: LOGIN,
      payload: { username: account.username, password: PASSWORD },
    })
    assert.equal(response.statusCode, 200)
    const json = response.json()
    assert.deepEqual(keys(json), ['access', 'refresh', 'user'])
    assert.deepEqual(json.user, {
      id: account.id,
      username: account.username,
      email: account.email,
      first_name: 'Lo',
      last_name: 'Gin',
    })
  })

  it('logs in by email and by username in any case', async () => {
    const account = await register(ctx.app)
    for (const username of [account.email, account.email.toUpperCase(), account.username.toUpperCase()]) {
      const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username, password: PASSWORD } })
      assert.equal(response.statusCode, 200, username)
      assert.equal(response.json().user.id, account.id)
    }
  })

  it('answers wrong password, unknown user and inactive account identically', async () => {
    const account = await register(ctx.app)
    const inactive = await register(ctx.app)
    await setActive(ctx.db, inactive.id, false)
    const attempts = [
      { username: account.username, password: 'wrong-password' },
      { username: uniqueName('nobody'), password: PASSWORD },
      { username: inactive.username, password: PASSWORD },
    ]
    for (const payload of attempts) {
      const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload })
      assert.equal(response.statusCode, 401)
      assert.deepEqual(response.json(), { detail: 'No active account found with the given credentials' })
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="api"')
    }
  })

  it('needs both fields', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: {} })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), { username: ['This field is required.'], password: ['This field is required.'] })
  })

  it('refuses non-string credentials with 400', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: ['a'], password: 1 } })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(keys(response.json()), ['password', 'username'])
  })
})
