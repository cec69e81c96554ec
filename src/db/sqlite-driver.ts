import type { Database as SqliteDatabase } from 'better-sqlite3'
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { SqliteReader } from './sqlite-reader.js'
import { STATEMENT_CACHE_SIZE, StatementCache } from './statement-cache.js'

/**
 * Kysely's SQLite dialect with a driver that keeps prepared statements: Kysely's own driver calls
 * `prepare` on every query, which costs more CPU than running a primary-key lookup. Given a query-only
 * `reader` on the same file, a SELECT outside any transaction runs there at once, without waiting for the
 * writing connection (which a transaction may hold across several awaits).
 */
export class CachingSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase
  readonly #cacheSize: number
  readonly #reader: SqliteReader | undefined

  constructor(database: SqliteDatabase, cacheSize = STATEMENT_CACHE_SIZE, reader?: SqliteReader) {
    super({ database })
    this.#database = database
    this.#cacheSize = cacheSize
    this.#reader = reader
  }

  override createDriver(): Driver {
    return new CachingSqliteDriver(this.#database, this.#cacheSize, this.#reader)
  }
}

/**
 * Same protocol as Kysely's SqliteDriver: one writing connection, handed to one caller (or transaction) at a
 * time. With a reader, a caller gets a connection that takes the writing one only when it first needs it.
 */
class CachingSqliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex()
  readonly #connection: CachingSqliteConnection

  constructor(
    private readonly database: SqliteDatabase,
    cacheSize: number,
    private readonly reader: SqliteReader | undefined,
  ) {
    this.#connection = new CachingSqliteConnection(database, cacheSize, reader)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.reader !== undefined) return new ReadRoutingConnection(this.reader, this.#connection, this.#mutex)
    await this.#mutex.lock()
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    if (connection instanceof ReadRoutingConnection) await connection.takeWriter()
    await connection.executeQuery(CompiledQuery.raw('begin'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async savepoint(connection: DatabaseConnection, name: string, _compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`))
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, _compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof ReadRoutingConnection) || connection.holdsWriter) this.#mutex.unlock()
  }

  async destroy(): Promise<void> {
    this.#connection.clear()
    this.reader?.close()
    this.database.close()
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Executes through an LRU map of prepared statements keyed by SQL text. Before each statement the `reader`'s
 * shared snapshot ends (see SqliteReader), so that no read after a commit of this connection misses it.
 */
export class CachingSqliteConnection implements DatabaseConnection {
  readonly #statements: StatementCache

  constructor(
    private readonly database: SqliteDatabase,
    cacheSize: number,
    private readonly reader?: SqliteReader,
  ) {
    this.#statements = new StatementCache(database, cacheSize)
  }

  get cachedStatements(): number {
    return this.#statements.size
  }

  clear(): void {
    this.#statements.clear()
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.reader?.endSnapshot()
    const stmt = this.#statements.get(compiledQuery.sql)
    const parameters = compiledQuery.parameters as unknown[]
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] }
    const { changes, lastInsertRowid } = stmt.run(parameters)
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    }
  }

  // A statement being iterated is busy and cannot run again: streams get one of their own.
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('Sqlite driver only supports streaming of select queries')
    this.reader?.endSnapshot()
    const stmt = this.database.prepare(compiledQuery.sql)
    for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] }
  }
}

/**
 * One caller's connection when a reader exists: SELECTs run on the reader until the caller first needs the
 * writing connection (a write, a raw statement or a transaction); from then on everything runs there.
 */
class ReadRoutingConnection implements DatabaseConnection {
  #holdsWriter = false

  constructor(
    private readonly reader: SqliteReader,
    private readonly writer: CachingSqliteConnection,
    private readonly mutex: ConnectionMutex,
  ) {}

  get holdsWriter(): boolean {
    return this.#holdsWriter
  }

  async takeWriter(): Promise<void> {
    if (this.#holdsWriter) return
    await this.mutex.lock()
    this.#holdsWriter = true
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#holdsWriter && SelectQueryNode.is(compiledQuery.query)) {
      return { rows: this.reader.all(this.reader.statement(compiledQuery.sql), compiledQuery.parameters as unknown[]) as R[] }
    }
    await this.takeWriter()
    return this.writer.executeQuery(compiledQuery)
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    await this.takeWriter()
    yield* this.writer.streamQuery<R>(compiledQuery)
  }
}

class ConnectionMutex {
  #promise: Promise<void> | undefined
  #resolve: (() => void) | undefined

  async lock(): Promise<void> {
    while (this.#promise) await this.#promise
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  unlock(): void {
    const resolve = this.#resolve
    this.#promise = undefined
    this.#resolve = undefined
    resolve?.()
  }
}
