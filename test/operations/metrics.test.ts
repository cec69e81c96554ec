import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildTestApp, DIALECT, register } from '../helper.js'

describe('GET /metrics', () => {
  it('is not there unless switched on', async (t) => {
    const { app, close } = await buildTestApp()
    t.after(close)
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404)
  })

  it('METRICS=on: Prometheus text with requests by route pattern and status, latency, event-loop lag, pool', async (t) => {
    const { app, close } = await buildTestApp({ METRICS: 'on' })
    t.after(close)
    const account = await register(app)
    await app.inject({ method: 'GET', url: `/careers/users/${account.username}/` })
    await app.inject({ method: 'GET', url: '/careers/users/nobody_here/' })
    assert.equal((await app.inject({ method: 'PUT', url: `/careers/users/${account.username}/` })).statusCode, 405)
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/plain/)
    const text = response.body
    assert.match(text, /http_requests_total\{method="GET",route="\/careers\/users\/:username\/",status_code="200"\} 1/)
    assert.match(text, /http_requests_total\{method="GET",route="\/careers\/users\/:username\/",status_code="404"\} 1/)
    assert.match(text, /http_requests_total\{method="POST",route="\/careers\/users\/register\/",status_code="201"\} 1/)
    // A 405 is labelled with the path's one route, as its other answers are.
    assert.match(text, /http_requests_total\{method="PUT",route="\/careers\/users\/:username\/",status_code="405"\} 1/)
    assert.doesNotMatch(text, new RegExp(account.username), 'raw URLs never become labels')
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/careers\/users\/:username\/",status_code="200"\}/,
    )
    assert.match(text, /nodejs_eventloop_lag_seconds /)
    assert.match(text, /process_cpu_user_seconds_total /)
    if (DIALECT === 'postgres') {
      assert.match(text, /db_pool_connections_total \d+/)
      assert.match(text, /db_pool_connections_idle \d+/)
      assert.match(text, /db_pool_requests_waiting \d+/)
    }
  })

  it('METRICS_TOKEN: only with the bearer token (compared in constant time)', async (t) => {
    const { app, close } = await buildTestApp({ METRICS_TOKEN: 'metrics-secret-123' })
    t.after(close)
    for (const authorization of [undefined, 'Bearer wrong', 'Bearer metrics-secret-1234', 'metrics-secret-123']) {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} })
      assert.equal(response.statusCode, 401, String(authorization))
    }
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-secret-123' } })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /http_requests_total/)
  })
})
