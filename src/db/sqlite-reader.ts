import SqliteDatabase, { type Database, type Statement } from 'better-sqlite3'

/**
 * A second, query-only connection to a SQLite file, for single-statement reads outside any transaction.
 * better-sqlite3 runs each statement to completion synchronously, so these reads need no connection
 * mutex and never wait behind a transaction in progress on the writing connection; in WAL mode each one
 * sees everything committed before it started (a writer's commit has returned before the next request
 * reads), and nothing uncommitted.
 */
export class SqliteReader {
  readonly #database: Database
  readonly #statements = new Map<string, Statement>()

  constructor(
    filename: string,
    private readonly cacheSize = 500,
  ) {
    this.#database = new SqliteDatabase(filename, { fileMustExist: true })
    this.#database.pragma('busy_timeout = 5000')
    this.#database.pragma('query_only = ON')
  }

  /** The statement for one SQL text, prepared on first use; the least recently used go beyond `cacheSize`. */
  statement(sqlText: string): Statement {
    let statement = this.#statements.get(sqlText)
    if (statement === undefined) {
      statement = this.#database.prepare(sqlText)
      if (this.#statements.size >= this.cacheSize) this.#statements.delete(this.#statements.keys().next().value!)
    } else {
      this.#statements.delete(sqlText)
    }
    this.#statements.set(sqlText, statement)
    return statement
  }

  close(): void {
    this.#statements.clear()
    this.#database.close()
  }
}
