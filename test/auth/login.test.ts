import assert from 'node:assert/strict'
import { hash, verify } from '@node-rs/argon2'
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

  it('replaces a hash made with older settings at the next successful login, and only then', async () => {
    const account = await register(ctx.app)
    // 19 MiB × 2 passes, the setting of earlier versions. `algorithm: 2` is argon2id.
    const older = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 })
    await ctx.db.updateTable('users').set({ password_hash: older }).where('id', '=', account.id).execute()
    const stored = async (): Promise<string> =>
      (await ctx.db.selectFrom('users').select('password_hash').where('id', '=', account.id).executeTakeFirstOrThrow())
        .password_hash
    const login = (password: string) =>
      ctx.app.inject({ method: 'POST', url: LOGIN, payload: { username: account.username, password } })

    assert.equal((await login('wrong-password')).statusCode, 401)
    assert.equal(await stored(), older)
    assert.equal((await login(PASSWORD)).statusCode, 200)
    const replaced = await stored()
    assert.match(replaced, /^\$argon2id\$v=19\$m=7168,t=5,p=1\$/)
    assert.equal(await verify(replaced, PASSWORD), true)
    assert.equal((await login(PASSWORD)).statusCode, 200)
    assert.equal(await stored(), replaced, 'a current hash is kept as it is')
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
