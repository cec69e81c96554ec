import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, type TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { connect, type Db } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'

export const JWT_SECRET = 'test-secret-that-is-long-enough-0123456789'
export const PASSWORD = 'password123'

/** As the functional suites run: per-IP limits out of the way, the per-account limit at its default. */
const RELAXED_LIMITS = { LOGINS_PER_IP: '100000/15m', REGISTRATIONS_PER_IP: '100000/1h' }

/** `postgres` when the runner (scripts/test.mjs) runs the PostgreSQL pass; SQLite otherwise. */
export const DIALECT: 'sqlite' | 'postgres' = process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite'

export interface TestApp {
  app: FastifyInstance
  db: Db
  config: Config
  close(): Promise<void>
}

/**
 * The app on a fresh, migrated database: a SQLite file in a temporary folder (as `npm start` runs, with its
 * query-only reading connection), or a new PostgreSQL schema; dropped on close. `cluster`: connected as a
 * worker of `WEB_CONCURRENCY` > 1 is (each read its own snapshot), not as a single process.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  logStream?: { write(line: string): void },
  { cluster = false }: { cluster?: boolean } = {},
): Promise<TestApp> {
  const { url, drop } = DIALECT === 'postgres' ? await freshPostgresSchema() : freshSqliteFile()
  const config = loadConfig({
    DATABASE_URL: url,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_POOL_MAX: '10',
    ...RELAXED_LIMITS,
    ...env,
  })
  const db = connect(config.database, { sharedSnapshots: !cluster })
  let app: FastifyInstance
  try {
    await migrateTestDatabase(db)
    app = await buildApp({ config, db, logStream })
    await app.ready()
  } catch (error) {
    await db.destroy()
    await drop()
    throw error
  }
  return {
    app,
    db,
    config,
    async close() {
      await app.close()
      await drop()
    },
  }
}

const droppedMeanwhile = new Set(['3F000', '42P01'])

/**
 * Migrates a test database. Kysely's migrator looks for its table in every schema of the database, resolving each
 * schema and table by name (`has_schema_privilege`, `pg_get_serial_sequence`); a schema that another test file
 * drops at that moment fails the lookup with 3F000 or 42P01, naming that other schema's objects: retried.
 */
export async function migrateTestDatabase(db: Db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db)
      return
    } catch (error) {
      if (attempt >= 5 || !droppedMeanwhile.has((error as { code?: string }).code ?? '')) throw error
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
    }
  }
}

/** One app for one test, on its own database, closed when the test ends. */
export async function build(
  t: Pick<TestContext, 'after'>,
  env: Record<string, string> = {},
  logStream?: { write(line: string): void },
): Promise<TestApp> {
  const testApp = await buildTestApp(env, logStream)
  t.after(() => testApp.close())
  return testApp
}

/**
 * Two app instances on one fresh database, as two workers of one deployment would be (each with its own
 * connections and caches); both closed when the test ends.
 */
export async function twoAppsOnOneDatabase(t: Pick<TestContext, 'after'>): Promise<[TestApp, FastifyInstance]> {
  const first = await buildTestApp({}, undefined, { cluster: true })
  const second = await buildApp({ config: first.config, db: connect(first.config.database) })
  t.after(async () => {
    await second.close()
    await first.close()
  })
  return [first, second]
}

/** One app per test file: built before the first test, closed after the last. */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  const holder = {} as TestApp
  before(async () => {
    Object.assign(holder, await buildTestApp(env))
  })
  after(async () => holder.close?.())
  return holder
}

async function freshPostgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DIALECT=postgres needs TEST_DATABASE_URL')
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: base, max: 1 }) }) })
  await ensureTrigramExtension(admin)
  await sql`create schema ${sql.id(schema)}`.execute(admin)
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema},public`)
  return {
    url: url.toString(),
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin)
      await admin.destroy()
    },
  }
}

/** Installed once per database in `public`, so that dropping a test schema never drops it. */
async function ensureTrigramExtension(admin: Kysely<unknown>): Promise<void> {
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(admin)
  } catch (error) {
    // Two test files racing to create it: the loser sees a unique violation; the extension exists either way.
    if ((error as { code?: string }).code !== '23505') throw error
  }
}

function freshSqliteFile(): { url: string; drop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'careers-db-'))
  return { url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) }
}
