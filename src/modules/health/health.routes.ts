import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'

const Status = Type.Object({ status: Type.String({ examples: ['ok'] }) }, { $id: 'Status' })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { operationId: 'health', summary: 'Liveness: the process answers', tags: ['operations'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }))

  app.get(
    '/ready',
    { schema: { operationId: 'ready', summary: 'Readiness: the database answers', tags: ['operations'], response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(app.db)
        return { status: 'ok' }
      } catch (error) {
        request.log.warn({ err: error }, 'database not reachable')
        return reply.code(503).send({ status: 'unavailable' })
      }
    },
  )
}

export default healthRoutes
