import SqliteDatabase, { type Database, type Statement } from 'better-sqlite3'
import { StatementCache } from './statement-cache.js'

/**
 * A second, query-only connection to a SQLite file, for single-statement reads outside any transaction.
 * better-sqlite3 runs each statement to completion synchronously, so these reads need no connection
 * mutex and never wait behind a transaction in progress on the writing connection; in WAL mode each one
 * sees everything committed before it started, and nothing uncommitted.
 *
 * With `sharedSnapshots`, the reads of one event-loop turn share one read transaction. Each read outside a
 * transaction locks and unlocks the WAL (three system calls, about 1.8 µs: as much as the read itself); one
 * turn serves every request the turn's poll delivered. The transaction begins with the turn's first read
 * and ends when the turn ends (`setImmediate`), or earlier, before the writing connection runs any statement
 * (`endSnapshot`): a read that follows a commit of this process begins a new snapshot that includes it, and a
 * checkpoint is never held back by a snapshot of ours. It is only for a process that is the database's sole
 * writer through the API: another process's commit becomes visible here at the next turn, not at once.
 */
export class SqliteReader {
  readonly #database: Database
  readonly #statements: StatementCache
  readonly #rawStatements: StatementCache
  readonly #sharedSnapshots: boolean
  readonly #begin: Statement
  readonly #commit: Statement
  #snapshotOpen = false
  #endScheduled = false

  constructor(filename: string, { sharedSnapshots = false }: { sharedSnapshots?: boolean } = {}) {
    this.#database = new SqliteDatabase(filename, { fileMustExist: true })
    this.#database.pragma('busy_timeout = 5000')
    this.#database.pragma('query_only = ON')
    this.#statements = new StatementCache(this.#database)
    this.#rawStatements = new StatementCache(this.#database, undefined, (statement) => statement.raw(true))
    this.#sharedSnapshots = sharedSnapshots
    this.#begin = this.#database.prepare('begin')
    this.#commit = this.#database.prepare('commit')
  }

  /** The statement for one SQL text, prepared on first use (least recently used ones are dropped). Run it with `all` or `get`. */
  statement(sqlText: string): Statement {
    return this.#statements.get(sqlText)
  }

  /** Like `statement`, answering each row as an array of its columns' values (from a cache of its own). */
  rawStatement(sqlText: string): Statement {
    return this.#rawStatements.get(sqlText)
  }

  /** Every row of one of this reader's statements. */
  all(statement: Statement, values: unknown[]): unknown[] {
    this.#enter()
    return statement.all(values)
  }

  /** The first row of one of this reader's statements. */
  get(statement: Statement, values: unknown[]): unknown {
    this.#enter()
    return statement.get(values)
  }

  /** Ends the shared snapshot, if one is open: the next read sees every commit made before it. */
  endSnapshot(): void {
    if (!this.#snapshotOpen) return
    this.#snapshotOpen = false
    if (this.#database.inTransaction) this.#commit.run()
  }

  close(): void {
    this.endSnapshot()
    this.#statements.clear()
    this.#rawStatements.clear()
    this.#database.close()
  }

  #enter(): void {
    if (this.#snapshotOpen || !this.#sharedSnapshots) return
    // Only if no transaction is left open (a COMMIT that failed is tried again at the next end).
    if (!this.#database.inTransaction) this.#begin.run()
    this.#snapshotOpen = true
    if (this.#endScheduled) return
    this.#endScheduled = true
    setImmediate(this.#endTurn)
  }

  readonly #endTurn = (): void => {
    this.#endScheduled = false
    if (this.#database.open) this.endSnapshot()
  }
}
