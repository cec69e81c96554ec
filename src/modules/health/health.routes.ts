import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Status } from './health.schemas.js'
import { databaseAnswers } from './health.service.js'

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { summary: 'Liveness: the process answers', tags: ['operations'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }))

  app.get(
    '/ready',
    { schema: { summary: 'Readiness: the database answers', tags: ['operations'], response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      if (await databaseAnswers(app.db, request.log)) return { status: 'ok' }
      return reply.code(503).send({ status: 'unavailable' })
    },
  )
}

export default healthRoutes
