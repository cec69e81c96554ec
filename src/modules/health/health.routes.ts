import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Status } from './health.schemas.js'
import { createReadiness } from './health.service.js'

const healthRoutes: FastifyPluginAsyncTypebox<{ readyTimeoutMs: number }> = async (app, { readyTimeoutMs }) => {
  const ready = createReadiness(app.db, readyTimeoutMs)

  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        summary: 'Liveness: the process answers',
        tags: ['operations'],
        response: { 200: Status },
      },
    },
    async () => ({
      status: 'ok',
    }),
  )

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'ready',
        summary: 'Readiness: the database answers and can write, within READY_TIMEOUT',
        tags: ['operations'],
        response: { 200: Status, 503: Status },
      },
    },
    async (request, reply) => {
      if (await ready(request.log)) return { status: 'ok' }
      return reply.code(503).send({ status: 'unavailable' })
    },
  )
}

export default healthRoutes
