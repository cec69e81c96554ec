import { sql } from 'kysely'
import { dialectOf, type Db } from '../../db/connect.js'
import type { Trx } from '../../db/transaction.js'

export interface SessionRow {
  id: string
  created_at: string
  last_used_at: string
  expires_at: string
  user_agent: string | null
  ip: string | null
}

/** The id of the account a login names (username first, then email, any case), without reading its hash. */
export async function findLoginAccountId(db: Db, identifier: string): Promise<number | undefined> {
  // The users module's identity keys: lower-cased username and email.
  const key = identifier.toLowerCase()
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username_key'])
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .limit(2)
    .execute()
  return (rows.find((row) => row.username_key === key) ?? rows[0])?.id
}

export async function findPasswordHash(db: Db, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst()
  return row?.password_hash
}

export async function setPasswordHash(trx: Trx, userId: number, passwordHash: string, now: string): Promise<void> {
  await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', userId).execute()
}

/** Open sessions, newest first. */
export async function listOpenSessions(db: Db, userId: number, now: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_used_at', 'expires_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/** Ends one open session of the user; false when there is none with that id (ended, expired, or someone else's). */
export async function endOpenSession(db: Db, userId: number, sessionId: string, now: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** Ends every session of the user except `keepSessionId` (none kept when null). */
export async function endSessions(db: Db | Trx, userId: number, keepSessionId: string | null): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepSessionId !== null) query = query.where('id', '<>', keepSessionId)
  await query.execute()
}

export async function deleteUserRow(trx: Trx, userId: number): Promise<void> {
  await trx.deleteFrom('users').where('id', '=', userId).execute()
}

// Any fixed number: the key of the advisory lock below, the same in every process on the database.
const ACCOUNT_DELETIONS_LOCK = 7_316_425_019

/**
 * PostgreSQL: one account deletion at a time, until its transaction ends. A deletion locks its own user row
 * first and then the counter rows of everyone it followed, liked or commented on, so two deletions of users
 * linked to each other take each other's rows in opposite orders, and their retries deadlock again. Deletions
 * are rare; waiting for one costs nothing.
 */
export async function serializeAccountDeletions(trx: Trx): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return
  await sql`select pg_advisory_xact_lock(${ACCOUNT_DELETIONS_LOCK})`.execute(trx)
}
