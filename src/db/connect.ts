import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import type { Database } from './database.js'
import { sqlDialectFor, type DialectName, type SqlDialect } from './dialect.js'
import { isConnectionFailure } from './failures.js'
import { CachingSqliteDialect } from './sqlite-driver.js'
import { SqliteReader } from './sqlite-reader.js'

export type Db = Kysely<Database>
export type { SqlDialect }

const PG_INT8 = 20
const PG_TIMESTAMP = 1114
const PG_TIMESTAMPTZ = 1184

const pools = new WeakMap<Db, pg.Pool>()

/** The PostgreSQL pool behind a connection (for its statistics); undefined on SQLite. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db)
}

const failureEvents = new WeakMap<object, EventEmitter>()
const sqlDialects = new WeakMap<Db, SqlDialect>()

export interface ConnectOptions {
  /**
   * SQLite file: the reads of one event-loop turn share one snapshot (see SqliteReader). Only for a process
   * that is the sole writer through the API (not a cluster's worker: a sibling's commit must show at once).
   */
  sharedSnapshots?: boolean
}

export function connect(config: DatabaseConfig, { sharedSnapshots = false }: ConnectOptions = {}): Db {
  const events = new EventEmitter()
  const report = (error: unknown): boolean => events.emit('failure', error)
  const pool = config.dialect === 'postgres' ? postgresPool(config, report) : undefined
  const sqlite = config.dialect === 'sqlite' ? sqliteDialect(config.filename, sharedSnapshots) : undefined
  const db = new Kysely<Database>({
    dialect: sqlite?.dialect ?? new SafePostgresDialect({ pool: replacingBrokenClients(pool as pg.Pool) }),
  })
  if (sqlite?.reader !== undefined) readers.set(db, sqlite.reader)
  if (pool !== undefined) pools.set(db, pool)
  failureEvents.set(db, events)
  if (config.dialect === 'sqlite') sqliteFiles.set(db, config.filename)
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

/** Connection failures nobody is waiting on (an idle PostgreSQL connection dropped by the server or the network). */
export function onBackgroundFailure(db: Db, listener: (error: unknown) => void): void {
  failureEvents.get(db)?.on('failure', listener)
}

/** The SQLite file (or `:memory:`) behind a Kysely instance from `connect`; undefined on PostgreSQL. */
export function sqliteFilename(db: Db): string | undefined {
  return sqliteFiles.get(db)
}
const sqliteFiles = new WeakMap<object, string>()

/** The query-only connection beside a SQLite file's writing one; undefined on PostgreSQL and in memory. */
export function sqliteReader(db: Db): SqliteReader | undefined {
  return readers.get(db)
}
const readers = new WeakMap<Db, SqliteReader>()

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations hold a Kysely<any>
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

function sqliteDialect(
  filename: string,
  sharedSnapshots: boolean,
): { dialect: CachingSqliteDialect; reader: SqliteReader | undefined } {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
  const database = new SqliteDatabase(filename)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  // An in-memory database is private to its connection: there, every read goes through the one connection.
  const reader = filename === ':memory:' ? undefined : new SqliteReader(filename, { sharedSnapshots })
  return { dialect: new SafeCachingSqliteDialect(database, undefined, reader), reader }
}

/**
 * A ROLLBACK that fails must not replace the error that caused it: after SQLITE_FULL or SQLITE_IOERR SQLite
 * has already rolled back ("cannot rollback - no transaction is active"), and a PostgreSQL connection that
 * broke mid-transaction cannot roll back at all (Kysely then discards it). Kysely rethrows the original.
 */
function withSafeRollback(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property) {
      if (property === 'rollbackTransaction') {
        return async (connection: DatabaseConnection): Promise<void> => {
          try {
            await target.rollbackTransaction(connection)
          } catch {
            // the caller's own error is what gets thrown and logged
          }
        }
      }
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

class SafeCachingSqliteDialect extends CachingSqliteDialect {
  override createDriver(): Driver {
    return withSafeRollback(super.createDriver())
  }
}

class SafePostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return withSafeRollback(super.createDriver())
  }
}

function postgresPool(config: Extract<DatabaseConfig, { dialect: 'postgres' }>, report: (error: unknown) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.poolMax,
    // Every wait is bounded: a connection (new or from the pool), each statement on the server, and the
    // client's wait for an answer (holds when the server or the network is frozen and nothing comes back).
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.queryTimeoutMs,
    query_timeout: config.queryTimeoutMs + 500,
    idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Counts and ids as numbers, timestamps as the same ISO strings SQLite stores.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === PG_INT8) return (value: string) => Number(value)
        if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) return (value: string) => pgTimestampToIso(value)
        return pg.types.getTypeParser(oid, format ?? 'text')
      }) as typeof pg.types.getTypeParser,
    },
  })
  // A client that loses its connection emits 'error', idle or checked out; without a listener for its whole
  // life that crashes the process. The pool drops such a client when it is released.
  // The pool re-emits an idle client's error, already reported by the client's own listener.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', report))
  return pool
}

/**
 * Hands Kysely pool clients that are destroyed, not reused, after a connection failure. pg keeps a client
 * whose query timed out on the client side (the query may still be running), and later queries on it would
 * wait behind that one; after such a failure every further query on the client fails at once.
 */
function replacingBrokenClients(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect()
      let broken: unknown
      const query = (...args: unknown[]): unknown => {
        if (broken !== undefined) return Promise.reject(broken)
        const result = (client.query as (...a: unknown[]) => unknown)(...args)
        if (!(result instanceof Promise)) return result
        return result.catch((error: unknown) => {
          if (isConnectionFailure(error)) broken = error
          throw error
        })
      }
      return {
        query: query as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy === true || broken !== undefined),
      }
    },
    end: () => pool.end(),
  }
}

/** `2024-01-15 10:30:00.123+00` → `2024-01-15T10:30:00.123Z` (milliseconds, as JavaScript writes them). */
function pgTimestampToIso(value: string): string {
  const withZone = /[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`
  return new Date(withZone.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()
}
