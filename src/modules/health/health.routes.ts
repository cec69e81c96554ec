import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { causeOf } from '../../db/failures.js'
import { logLimited } from '../../lib/log-limiter.js'
import { probeWritable } from './health.repository.js'

const Status = Type.Object({ status: Type.String() })

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`)
    this.name = 'ProbeTimeout'
  }
}

const healthRoutes: FastifyPluginAsyncTypebox<{ readyTimeoutMs: number }> = async (app, { readyTimeoutMs }) => {
  // One probe at a time: while the database hangs, readiness checks share the probe in flight
  // instead of each holding a connection.
  let inFlight: Promise<void> | undefined
  const probe = (): Promise<void> => {
    inFlight ??= probeWritable(app.db).finally(() => {
      inFlight = undefined
    })
    return inFlight
  }

  app.get('/health', { schema: { summary: 'Liveness: the process answers', tags: ['operations'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }))

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the database answers and can write, within READY_TIMEOUT',
        tags: ['operations'],
        response: { 200: Status, 503: Status },
      },
    },
    async (request, reply) => {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          probe(),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new ProbeTimeout(readyTimeoutMs)), readyTimeoutMs)
          }),
        ])
        return { status: 'ok' }
      } catch (error) {
        const cause = causeOf(error)
        logLimited(request.log, 'warn', `ready:${cause.code}:${cause.message}`, { cause }, 'not ready')
        return reply.code(503).send({ status: 'unavailable' })
      } finally {
        clearTimeout(timer)
      }
    },
  )
}

export default healthRoutes
