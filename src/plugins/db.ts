import fp from 'fastify-plugin'
import { onBackgroundFailure, type Db } from '../db/connect.js'
import { causeOf } from '../db/failures.js'
import { logLimited } from '../lib/log-limiter.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

/** Shares the database with every module and closes it after the last in-flight request. */
export default fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorate('db', db)
    onBackgroundFailure(db, (error) => {
      const cause = causeOf(error)
      logLimited(app.log, 'warn', `background:${cause.code}:${cause.message}`, { cause }, 'database connection lost')
    })
    app.addHook('onClose', async () => db.destroy())
  },
  { name: 'db' },
)
