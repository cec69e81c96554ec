import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/connect.js'
import { ping } from './health.repository.js'

/** Ready when the database answers; a failure is logged and reported, never thrown. */
export async function databaseAnswers(db: Db, log: FastifyBaseLogger): Promise<boolean> {
  try {
    await ping(db)
    return true
  } catch (error) {
    log.warn({ err: error }, 'database not reachable')
    return false
  }
}
