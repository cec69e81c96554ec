import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresAdapter, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import type { Database } from './database.js'
import { sqlDialectFor, type DialectName, type SqlDialect } from './dialect.js'
import { CachingSqliteDialect } from './sqlite-driver.js'

export type Db = Kysely<Database>
export type { SqlDialect }

const PG_INT8 = 20
const PG_TIMESTAMP = 1114
const PG_TIMESTAMPTZ = 1184

const sqlDialects = new WeakMap<Db, SqlDialect>()

export function connect(config: DatabaseConfig): Db {
  const db = new Kysely<Database>({
    dialect: config.dialect === 'sqlite' ? sqliteDialect(config.filename) : postgresDialect(config),
  })
  sqlDialects.set(db, sqlDialectFor(config.dialect))
  return db
}

/** The SQL strategies `connect` chose for this database (decided once, not per query). */
export function sqlDialect(db: Db): SqlDialect {
  let chosen = sqlDialects.get(db)
  if (chosen === undefined) {
    chosen = sqlDialectFor(dialectOf(db))
    sqlDialects.set(db, chosen)
  }
  return chosen
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations hold a Kysely<any>
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

function sqliteDialect(filename: string): CachingSqliteDialect {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
  const database = new SqliteDatabase(filename)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  return new CachingSqliteDialect(database)
}

function postgresDialect(config: Extract<DatabaseConfig, { dialect: 'postgres' }>): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.poolMax,
    // Counts and ids as numbers, timestamps as the same ISO strings SQLite stores.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === PG_INT8) return (value: string) => Number(value)
        if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) return (value: string) => pgTimestampToIso(value)
        return pg.types.getTypeParser(oid, format ?? 'text')
      }) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {})
  return new PostgresDialect({ pool })
}

/** `2024-01-15 10:30:00.123+00` → `2024-01-15T10:30:00.123Z` (milliseconds, as JavaScript writes them). */
function pgTimestampToIso(value: string): string {
  const withZone = /[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`
  return new Date(withZone.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()
}
