import { buildApp } from './app.js'
import { startProcess } from './cluster.js'
import { ConfigError, loadConfig, resolveJwtSecret } from './config.js'
import { connect } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'

const SHUTDOWN_GRACE_MS = 30_000

async function main(): Promise<void> {
  const config = resolveJwtSecret(loadConfig())
  const db = connect(config.database)
  try {
    await migrateToLatest(db)
  } catch (error) {
    await db.destroy()
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

startProcess(main).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\n`)
  } else {
    process.stderr.write(`error: the service could not start: ${describe(error)}\n`)
  }
  process.exit(1)
})
