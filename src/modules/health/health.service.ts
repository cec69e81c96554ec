import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/connect.js'
import { causeOf } from '../../db/failures.js'
import { logLimited } from '../../lib/log-limiter.js'
import { probeWritable } from './health.repository.js'

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`)
    this.name = 'ProbeTimeout'
  }
}

/**
 * Ready when the database answers and can write within `timeoutMs`; a failure is logged (rate-limited) and
 * reported, never thrown. One probe at a time: while the database hangs, readiness checks share the probe in
 * flight instead of each holding a connection.
 */
export function createReadiness(db: Db, timeoutMs: number): (log: FastifyBaseLogger) => Promise<boolean> {
  let inFlight: Promise<void> | undefined
  const probe = (): Promise<void> => {
    inFlight ??= probeWritable(db).finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
  return async (log) => {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        probe(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new ProbeTimeout(timeoutMs)), timeoutMs)
        }),
      ])
      return true
    } catch (error) {
      const cause = causeOf(error)
      logLimited(log, 'warn', `ready:${cause.code}:${cause.message}`, { cause }, 'not ready')
      return false
    } finally {
      clearTimeout(timer)
    }
  }
}
