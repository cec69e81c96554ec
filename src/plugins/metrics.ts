import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { poolOf } from '../db/connect.js'

export interface MetricsOptions {
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  token: string | undefined
}

/**
 * GET /metrics in Prometheus' text format: requests by route pattern, method and status, their latency,
 * the process' default metrics (event-loop lag included) and the PostgreSQL pool. Registered only when enabled.
 */
export default fp<MetricsOptions>(
  async (app, { token }) => {
    const registry = new Registry()
    collectDefaultMetrics({ register: registry })
    const labelNames = ['method', 'route', 'status_code'] as const
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered',
      labelNames,
      registers: [registry],
    })
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    })
    const pool = poolOf(app.db)
    if (pool) {
      const gauge = (name: string, help: string, read: () => number): Gauge =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read())
          },
        })
      gauge('db_pool_connections_total', 'PostgreSQL pool: open connections', () => pool.totalCount)
      gauge('db_pool_connections_idle', 'PostgreSQL pool: idle connections', () => pool.idleCount)
      gauge('db_pool_requests_waiting', 'PostgreSQL pool: queries waiting for a connection', () => pool.waitingCount)
    }

    app.addHook('onResponse', async (request, reply) => {
      // The route's pattern (`/careers/users/:username/`), never the raw URL: one series per route, not per user.
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }
      requests.inc(labels)
      duration.observe(labels, reply.elapsedTime / 1000)
    })

    const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`)
    app.get('/metrics', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
      if (expected !== undefined && !sameSecret(request.headers.authorization, expected)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ detail: 'Authentication credentials were not provided.' })
      }
      return reply.type(registry.contentType).send(await registry.metrics())
    })
  },
  { name: 'metrics', dependencies: ['db'] },
)

function sameSecret(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header ?? '')
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of the guess.
  return timingSafeEqual(given.length === expected.length ? given : expected, expected) && given.length === expected.length
}
