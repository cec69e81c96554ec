import fp from 'fastify-plugin'
import type { Db } from '../db/connect.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

/** Shares the database with every module and closes it after the last in-flight request. */
export default fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorate('db', db)
    app.addHook('onClose', async () => db.destroy())
  },
  { name: 'db' },
)
