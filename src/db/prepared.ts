import { CompiledQuery, type Compilable } from 'kysely'
import type { Statement } from 'better-sqlite3'
import { sqliteReader, type Db } from './connect.js'
import type { SqliteReader } from './sqlite-reader.js'
import { SharedReads } from './shared-reads.js'

// A viewer and a page of up to 100 ids, with room to spare.
const MAX_ARGUMENTS = 128

/** Stands for the nth argument of a prepared read while its query is compiled. */
class Slot {
  constructor(readonly index: number) {}
}

interface Plan {
  sql: string
  /** Each parameter of the compiled query: an argument's index, or a value fixed in the query. */
  parameters: (Slot | { value: unknown })[]
  /**
   * On a SQLite file: the query-only connection and the statement, prepared once there and held here (a hot
   * read skips the connection's LRU cache; the number of prepared reads is fixed by the code).
   */
  onFile: { reader: SqliteReader; statement: Statement } | undefined
  /** Builds the row object from the statement's array, one column after another. */
  rowOf: (row: unknown[]) => Record<string, unknown>
  /** With `shared`, off SQLite: identical concurrent reads answered by one query sent after they arrived. */
  shared: SharedReads<unknown[]> | undefined
}

/**
 * A read whose SQL is built and compiled once per database, for the hot paths (a profile, the session of
 * every authenticated request, stored totals): per call only the arguments change. `build` receives
 * stand-ins for the arguments and must use them as plain values (no string operations on them). On a
 * SQLite file the read runs synchronously on the query-only connection; elsewhere through Kysely's
 * executor. Never inside a transaction: it reads what is committed.
 *
 * `shared` (for small reads of versions and totals under load on PostgreSQL): concurrent calls with the same
 * arguments share one query, sent after the last of them arrived (see SharedReads). The rows are then
 * shared too, so callers must not modify them.
 */
export function preparedRead<A extends unknown[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
  options: { shared?: boolean } = {},
): (db: Db, ...args: A) => Promise<R[]> {
  const plan = planner(build, options)
  return async (db, ...args) => {
    const found = plan(db)
    const values = valuesOf(found, args)
    const { onFile } = found
    if (onFile !== undefined) return objectsOf(onFile.reader.all(onFile.statement, values) as unknown[][], found.rowOf) as R[]
    return readElsewhere<R>(db, found, values)
  }
}

/**
 * `preparedRead` for a query that names at most one row (a key lookup): its first row, or undefined. On a
 * SQLite file the statement stops at the first row instead of stepping on to confirm there is no other.
 */
export function preparedFirst<A extends unknown[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
  options: { shared?: boolean } = {},
): (db: Db, ...args: A) => Promise<R | undefined> {
  const plan = planner(build, options)
  return async (db, ...args) => {
    const found = plan(db)
    const values = valuesOf(found, args)
    const { onFile } = found
    if (onFile !== undefined) {
      const row = onFile.reader.get(onFile.statement, values) as unknown[] | undefined
      return row === undefined ? undefined : (found.rowOf(row) as R)
    }
    return (await readElsewhere<R>(db, found, values))[0]
  }
}

function planner<A extends unknown[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
  options: { shared?: boolean },
): (db: Db) => Plan {
  const plans = new WeakMap<Db, Plan>()
  return (db) => {
    let found = plans.get(db)
    if (found === undefined) {
      const slots = Array.from({ length: MAX_ARGUMENTS }, (_unused, index) => new Slot(index))
      const compiled = build(db, ...(slots as unknown as A)).compile()
      // Arrays, turned into objects here: better-sqlite3 builds each row object property by property from
      // C++, 0.6 µs a row of ten columns, three times what the same object costs in JavaScript.
      const reader = sqliteReader(db)
      const statement = reader?.rawStatement(compiled.sql)
      found = {
        sql: compiled.sql,
        parameters: compiled.parameters.map((value) => (value instanceof Slot ? value : { value })),
        onFile: reader !== undefined && statement !== undefined ? { reader, statement } : undefined,
        rowOf: rowBuilder(statement?.columns().map((column) => column.name) ?? []),
        shared: options.shared === true && reader === undefined ? new SharedReads<unknown[]>() : undefined,
      }
      plans.set(db, found)
    }
    return found
  }
}

function valuesOf(plan: Plan, args: unknown[]): unknown[] {
  return plan.parameters.map((parameter) => (parameter instanceof Slot ? args[parameter.index] : parameter.value))
}

/** Through Kysely's executor (PostgreSQL, or SQLite in memory), shared with identical concurrent reads if asked. */
async function readElsewhere<R>(db: Db, plan: Plan, values: unknown[]): Promise<R[]> {
  const query = async (): Promise<R[]> => (await db.executeQuery<R>(CompiledQuery.raw(plan.sql, values))).rows
  if (plan.shared !== undefined) return (await plan.shared.read(JSON.stringify(values), query)) as R[]
  return query()
}

/**
 * Prepared reads whose SQL differs by a few choices (an ordering, a page size written into the SQL): one
 * prepared read per distinct `key(variant)`, built on first use.
 */
export function preparedVariants<V, A extends unknown[], R>(
  key: (variant: V) => string,
  build: (variant: V) => (db: Db, ...args: A) => Compilable<R>,
): (variant: V) => (db: Db, ...args: A) => Promise<R[]> {
  const reads = new Map<string, (db: Db, ...args: A) => Promise<R[]>>()
  return (variant) => {
    const name = key(variant)
    let read = reads.get(name)
    if (read === undefined) reads.set(name, (read = preparedRead(build(variant))))
    return read
  }
}

function objectsOf(rows: unknown[][], rowOf: Plan['rowOf']): Record<string, unknown>[] {
  const objects = new Array<Record<string, unknown>>(rows.length)
  for (let index = 0; index < rows.length; index++) objects[index] = rowOf(rows[index]!)
  return objects
}

/**
 * `(row) => ({ "id": row[0], "username": row[1], … })` for these columns. One object literal per statement
 * gives its rows one shape from the start; building them with `object[column] = value` in one loop shared by
 * every statement was a megamorphic keyed store per column (about 1 % of a profile read). The column names come
 * from our own SQL and are written as JSON strings, so no name can be read as code.
 */
function rowBuilder(columns: string[]): Plan['rowOf'] {
  // In an object literal this name would set the prototype instead of a field.
  if (columns.includes('__proto__')) throw new Error('A prepared read cannot have a column named __proto__')
  const fields = columns.map((column, index) => `${JSON.stringify(column)}: row[${index}]`)
  return new Function('row', `return { ${fields.join(', ')} }`) as Plan['rowOf']
}
