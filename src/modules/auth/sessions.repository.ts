import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedFirst } from '../../db/prepared.js'
import { PROFILE_COLUMNS, type Profile } from '../users/index.js'

export interface NewSession {
  id: string
  userId: number
  expiresAt: string
  userAgent: string | null
  ip: string | null
}

export async function createSession(db: Db, session: NewSession, now: string): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: now,
      last_used_at: now,
      expires_at: session.expiresAt,
      user_agent: session.userAgent,
      ip: session.ip,
    })
    .execute()
}

/** The active user of an open session: one indexed lookup per authenticated request. */
const sessionUser = preparedFirst((db: Db, sessionId: string, userId: number, now: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(PROFILE_COLUMNS)
    .where('sessions.id', '=', sessionId)
    .where('sessions.user_id', '=', userId)
    .where('sessions.expires_at', '>', now)
    .where('users.is_active', '=', sql.lit(true)),
)

export function findSessionUser(db: Db, userId: number, sessionId: string, now: string): Promise<Profile | undefined> {
  return sessionUser(db, sessionId, userId, now)
}

/** Whether the session is open but its user deactivated (asked only when `findSessionUser` found no one). */
export async function isSessionOfInactiveUser(db: Db, userId: number, sessionId: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select('users.id')
    .where('sessions.id', '=', sessionId)
    .where('sessions.user_id', '=', userId)
    .where('sessions.expires_at', '>', now)
    .where('users.is_active', '=', sql.lit(false))
    .executeTakeFirst()
  return row !== undefined
}

export async function touchSession(db: Db, sessionId: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', sessionId).execute()
}

export async function endSession(db: Db, userId: number, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).execute()
}

export async function purgeExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
