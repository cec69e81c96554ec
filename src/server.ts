import cluster from 'node:cluster'
import { buildApp } from './app.js'
import { startProcess } from './cluster.js'
import { ConfigError, loadConfig, resolveJwtSecret } from './config.js'
import { connect } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import { keepTickShape } from './lib/tick-shape.js'

const SHUTDOWN_GRACE_MS = 30_000

async function main(): Promise<void> {
  keepTickShape()
  const config = resolveJwtSecret(loadConfig())
  // A worker of a cluster shares the database with its siblings; a single process is its only writer.
  const db = connect(config.database, { sharedSnapshots: cluster.isPrimary })
  try {
    await withDeadline(migrateToLatest(db), config.startupTimeoutMs)
  } catch (error) {
    // A database that never answers must not hold the exit either.
    await withDeadline(db.destroy(), 1000).catch(() => {})
    throw new ConfigError(`Could not prepare the database (${describe(error)}).`)
  }
  const app = await buildApp({ config, db })

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    // A keep-alive connection whose request finishes during shutdown would otherwise hold the
    // server open until its idle timeout: close each one as soon as it falls idle.
    setInterval(() => app.server.closeIdleConnections(), 50).unref()
    setTimeout(() => {
      app.log.warn('requests still running after 30 s: closing their connections')
      app.server.closeAllConnections()
    }, SHUTDOWN_GRACE_MS).unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    await app.close()
    throw new ConfigError(`Could not listen on ${config.host}:${config.port} (${describe(error)}).`)
  }
}

/** One line, whatever the driver's message looks like. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.trim().slice(0, 300) || 'unknown error'
}

/** Startup gives up after STARTUP_TIMEOUT instead of waiting on a database that does not answer. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s, see STARTUP_TIMEOUT`)), ms)
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

startProcess(main).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\n`)
  } else {
    process.stderr.write(`error: the service could not start: ${describe(error)}\n`)
  }
  process.exit(1)
})
