import { sql, type Transaction } from 'kysely'
import { ValidationError } from '../errors.js'
import type { Db } from './connect.js'
import type { Database } from './database.js'

/** A transaction handle: functions that must be atomic take this, never a plain `Db`. */
export type Trx = Transaction<Database>

interface DriverError {
  code?: unknown
  constraint?: unknown
  message?: unknown
}

/** PostgreSQL asks for a retry on serialization failures and deadlocks; SQLite serialises writes itself. */
function isRetryable(error: unknown): boolean {
  const { code } = (error ?? {}) as DriverError
  return code === '40001' || code === '40P01'
}

const MAX_ATTEMPTS = 5

/** The one transaction boundary: runs `work` in a transaction, retrying serialization failures. */
export async function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt))
    }
  }
}

/** Counter columns, by table. Each is written only by `moveCounters`. */
export interface CounterColumns {
  users: 'followers_count' | 'following_count' | 'posts_count' | 'likes_received' | 'comments_received'
  posts: 'likes_count' | 'comments_count' | 'shares_count'
}
export type CounterTable = keyof CounterColumns

export type CounterMove = {
  [T in CounterTable]: { table: T; id: number; deltas: Partial<Record<CounterColumns[T], number>> }
}[CounterTable]

// Posts before users, each by ascending id: every transaction takes its row locks in one global order,
// so two of them touching the same rows cannot deadlock.
const TABLE_ORDER: Record<CounterTable, number> = { posts: 0, users: 1 }

/**
 * The one writer of every counter column: merges the moves per row, drops zero deltas and updates
 * each row once, in the global lock order, inside the caller's transaction.
 */
export async function moveCounters(trx: Trx, moves: readonly CounterMove[]): Promise<void> {
  const rows = new Map<string, { table: CounterTable; id: number; deltas: Record<string, number> }>()
  for (const move of moves) {
    const key = `${move.table}:${move.id}`
    const row = rows.get(key) ?? { table: move.table, id: move.id, deltas: {} }
    for (const [column, delta] of Object.entries(move.deltas) as [string, number][]) {
      row.deltas[column] = (row.deltas[column] ?? 0) + delta
    }
    rows.set(key, row)
  }
  const ordered = [...rows.values()].sort((a, b) => TABLE_ORDER[a.table] - TABLE_ORDER[b.table] || a.id - b.id)
  for (const { table, id, deltas } of ordered) {
    const changed = Object.entries(deltas).filter(([, delta]) => delta !== 0)
    if (changed.length === 0) continue
    await trx
      .updateTable(table)
      .set(Object.fromEntries(changed.map(([column, delta]) => [column, sql<number>`${sql.ref(column)} + ${delta}`])))
      .where('id', '=', id)
      .execute()
  }
}

/** Which field a broken constraint is about, and what the client is told. */
interface ConstraintField {
  field: string
  message: string
}

/**
 * Every unique and foreign-key constraint a client can break, by PostgreSQL constraint name and by
 * SQLite's `table.column` list (SQLite does not report constraint names).
 */
const CONSTRAINT_FIELDS: Record<string, ConstraintField> = {
  users_username_key_unique: { field: 'username', message: 'A user with that username already exists.' },
  'users.username_key': { field: 'username', message: 'A user with that username already exists.' },
  users_email_key_unique: { field: 'email', message: 'A user with that email already exists.' },
  'users.email_key': { field: 'email', message: 'A user with that email already exists.' },
  follows_pair_unique: { field: 'following', message: 'You are already following this user.' },
  'follows.follower_id, follows.following_id': { field: 'following', message: 'You are already following this user.' },
  // Likes and shares are inserted with `on conflict do nothing`; listed for any other writer.
  likes_post_user_unique: { field: 'post', message: 'Post already liked' },
  'likes.post_id, likes.user_id': { field: 'post', message: 'Post already liked' },
  shares_post_user_unique: { field: 'post', message: 'Post already shared' },
  'shares.post_id, shares.user_id': { field: 'post', message: 'Post already shared' },
}

/** The constraint name a unique violation broke (PostgreSQL), or SQLite's column list; undefined otherwise. */
function uniqueViolation(error: unknown): string | undefined {
  const { code, constraint, message } = (error ?? {}) as DriverError
  if (code === '23505') return String(constraint ?? '')
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return String(message ?? '').replace(/^UNIQUE constraint failed: /, '')
  }
  return undefined
}

export function foreignKeyViolation(error: unknown): boolean {
  const { code } = (error ?? {}) as DriverError
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
}

/** A unique violation the client caused, as DRF's field error; undefined for any other error. */
export function constraintFieldError(error: unknown): ValidationError | undefined {
  const name = uniqueViolation(error)
  const known = name === undefined ? undefined : CONSTRAINT_FIELDS[name]
  if (known === undefined) return undefined
  return ValidationError.field(known.field, known.message)
}
