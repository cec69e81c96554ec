import type { Db } from './connect.js'
import type { Transaction } from 'kysely'
import type { Database } from './database.js'

interface DriverError {
  code?: unknown
  constraint?: unknown
  message?: unknown
}

/**
 * The constraint a unique violation broke, as the driver names it: PostgreSQL's constraint name
 * (`users_email_key_unique`) or SQLite's column list (`users.email_key`). Undefined for other errors.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const { code, constraint, message } = (error ?? {}) as DriverError
  if (code === '23505') return String(constraint ?? '')
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return String(message ?? '')
  return undefined
}

export function foreignKeyViolation(error: unknown): boolean {
  const { code } = (error ?? {}) as DriverError
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
}

/** PostgreSQL asks for a retry on serialization failures and deadlocks; SQLite serialises writes itself. */
function isRetryable(error: unknown): boolean {
  const { code } = (error ?? {}) as DriverError
  return code === '40001' || code === '40P01'
}

const MAX_ATTEMPTS = 5

export async function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt))
    }
  }
}
