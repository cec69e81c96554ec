import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build, PASSWORD, register } from '../support/index.js'

// Logs are JSON lines with a request id, and never carry a password, a token or a hash.

describe('logs', () => {
  it('are JSON with a request id, and leak no password, token or hash', async (t) => {
    const lines: string[] = []
    const { app } = await build(t, { LOG_LEVEL: 'trace' }, { write: (line) => lines.push(line) })
    const account = await register(app)
    const login = await app.inject({
      method: 'POST',
      url: '/careers/users/login/',
      payload: { username: account.username, password: PASSWORD },
    })
    const { refresh } = login.json()
    await app.inject({
      method: 'POST',
      url: '/careers/users/login/',
      payload: { username: account.username, password: 'wrong-password-42' },
    })
    await app.inject({ method: 'POST', url: '/careers/users/token/refresh/', payload: { refresh } })
    await app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })
    await app.inject({ method: 'GET', url: '/careers/users/me/', headers: { authorization: 'Bearer not.a.valid-token' } })
    await app.inject({ method: 'POST', url: '/careers/users/logout/', headers: account.auth, payload: { refresh } })

    // One line per request, with its id, method, URL, status and time.
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request')
    assert.equal(requestLines.length, 7)
    for (const entry of requestLines) {
      assert.equal(typeof entry.reqId, 'string')
      assert.equal(typeof entry.statusCode, 'number')
      assert.equal(typeof entry.responseTime, 'number')
      assert.match(String(entry.url), /^\/careers\/users\//)
    }
    assert.equal(new Set(requestLines.map((entry) => entry.reqId)).size, 7)

    const everything = lines.join('\n')
    for (const secret of [
      PASSWORD,
      'wrong-password-42',
      account.access,
      account.refresh,
      refresh,
      'not.a.valid-token',
      '$argon2',
    ]) {
      assert.ok(!everything.includes(secret), `a log line contains ${secret.slice(0, 12)}…`)
    }
  })
})
