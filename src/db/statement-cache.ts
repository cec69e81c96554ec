import type { Database, Statement } from 'better-sqlite3'

/** Statements kept prepared per SQLite connection; the app builds far fewer distinct SQL texts than this. */
export const STATEMENT_CACHE_SIZE = 500

/** An LRU map of one connection's prepared statements, keyed by SQL text. */
export class StatementCache {
  readonly #statements = new Map<string, Statement>()

  constructor(
    private readonly database: Database,
    private readonly capacity = STATEMENT_CACHE_SIZE,
    /** Applied to each statement once, when it is prepared (e.g. switching it to raw rows). */
    private readonly setUp: (statement: Statement) => Statement = (statement) => statement,
  ) {}

  get size(): number {
    return this.#statements.size
  }

  /**
   * The statement for `sqlText`, prepared on first use. `prepare` throws on bad SQL before anything is
   * cached; a statement whose run fails is reset by better-sqlite3 and stays reusable.
   */
  get(sqlText: string): Statement {
    let statement = this.#statements.get(sqlText)
    if (statement === undefined) {
      statement = this.setUp(this.database.prepare(sqlText))
      if (this.#statements.size >= this.capacity) this.#statements.delete(this.#statements.keys().next().value!)
    } else {
      // Most recently used last: the first key is the one to evict.
      this.#statements.delete(sqlText)
    }
    this.#statements.set(sqlText, statement)
    return statement
  }

  clear(): void {
    this.#statements.clear()
  }
}
