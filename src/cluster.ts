import cluster, { type Worker } from 'node:cluster'
import pino from 'pino'
import { ConfigError, loadConfig, resolveJwtSecret } from './config.js'
import { connect } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'

// WEB_CONCURRENCY=N: N worker processes share the port (node:cluster hands connections round-robin).
// The primary prepares what must happen once (JWT secret file, migrations), forks, replaces a worker
// that dies, and on SIGINT/SIGTERM passes the signal on and exits when every worker has finished.

const MAX_WORKERS = 256
const SHUTDOWN_GRACE_MS = 35_000
const CRASH_WINDOW_MS = 60_000
const MAX_CRASHES_IN_WINDOW = 10

/** WEB_CONCURRENCY, validated: 1 (the default) means no cluster at all. */
export function webConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY?.trim()
  if (raw === undefined || raw === '') return 1
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_WORKERS) {
    throw new ConfigError(`WEB_CONCURRENCY must be a whole number from 1 to ${MAX_WORKERS}; got "${raw}".`)
  }
  return Number(raw)
}

/** Runs `serve` in this process (WEB_CONCURRENCY=1, or in a worker), or becomes the primary of a cluster. */
export async function startProcess(serve: () => Promise<void>): Promise<void> {
  const workers = webConcurrency()
  return workers > 1 && cluster.isPrimary ? runPrimary(workers) : serve()
}

export async function runPrimary(workers: number): Promise<void> {
  const config = resolveJwtSecret(loadConfig())
  if (config.database.dialect === 'sqlite' && config.database.filename === ':memory:') {
    throw new ConfigError('WEB_CONCURRENCY above 1 needs a shared database: sqlite::memory: would give each worker its own.')
  }
  const db = connect(config.database)
  try {
    await migrateToLatest(db)
  } catch (error) {
    throw new ConfigError(`Could not prepare the database (${error instanceof Error ? error.message : String(error)}).`)
  } finally {
    await db.destroy()
  }

  const log = pino({ level: config.logLevel, base: { pid: process.pid, role: 'primary' } })
  // Workers read the secret the primary resolved, so none of them races to create the file.
  const env = { JWT_SECRET: config.jwtSecret }
  let shuttingDown = false
  let failed = false
  const crashes: number[] = []

  const fork = (): Worker => {
    const worker = cluster.fork(env)
    let listening = false
    worker.once('listening', () => {
      listening = true
    })
    worker.once('exit', (code, signal) => {
      if (shuttingDown) return finishIfDone()
      // A worker that never listened hit a start-up error (it printed why): starting more would fail the same way.
      if (!listening) {
        failed = true
        return shutdown('worker failed to start')
      }
      const now = Date.now()
      crashes.push(now)
      while (crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift()
      if (crashes.length > MAX_CRASHES_IN_WINDOW) {
        log.error('workers keep dying: stopping')
        failed = true
        return shutdown('crash loop')
      }
      log.error({ worker: worker.process.pid, code, signal }, 'worker died: starting a replacement')
      fork()
    })
    return worker
  }

  const finishIfDone = (): void => {
    if (Object.keys(cluster.workers ?? {}).length > 0) return
    log.info('all workers stopped')
    log.flush()
    process.exit(failed ? 1 : 0)
  }

  const shutdown = (reason: string): void => {
    if (shuttingDown) return
    shuttingDown = true
    log.info({ reason }, 'shutting down: stopping every worker')
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    setTimeout(() => {
      log.warn('workers still running after the grace period: killing them')
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    finishIfDone()
  }

  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  for (let i = 0; i < workers; i++) fork()
  log.info({ workers }, 'cluster started')
}
