import SqliteDatabase, { type Database, type Statement } from 'better-sqlite3'
import { StatementCache } from './statement-cache.js'

/**
 * A second, query-only connection to a SQLite file, for single-statement reads outside any transaction.
 * better-sqlite3 runs each statement to completion synchronously, so these reads need no connection
 * mutex and never wait behind a transaction in progress on the writing connection; in WAL mode each one
 * sees everything committed before it started (a writer's commit has returned before the next request
 * reads), and nothing uncommitted.
 */
export class SqliteReader {
  readonly #database: Database
  readonly #statements: StatementCache
  readonly #rawStatements: StatementCache

  constructor(filename: string) {
    this.#database = new SqliteDatabase(filename, { fileMustExist: true })
    this.#database.pragma('busy_timeout = 5000')
    this.#database.pragma('query_only = ON')
    this.#statements = new StatementCache(this.#database)
    this.#rawStatements = new StatementCache(this.#database, undefined, (statement) => statement.raw(true))
  }

  /** The statement for one SQL text, prepared on first use (least recently used ones are dropped). */
  statement(sqlText: string): Statement {
    return this.#statements.get(sqlText)
  }

  /** Like `statement`, answering each row as an array of its columns' values (from a cache of its own). */
  rawStatement(sqlText: string): Statement {
    return this.#rawStatements.get(sqlText)
  }

  close(): void {
    this.#statements.clear()
    this.#rawStatements.clear()
    this.#database.close()
  }
}
