import type { Db } from '../../db/connect.js'
import { inTransaction } from '../../db/transaction.js'
import { FieldErrorCollector, notFound, tokenNotValid, ValidationError } from '../../errors.js'
import type { Caller } from '../../plugins/auth.js'
import { hashPassword, verifyPassword } from '../auth/index.js'
import { deleteFollowsOf } from '../follows/index.js'
import { deleteUserContent } from '../posts/index.js'
import { passwordProblems } from '../users/index.js'
import {
  deleteUserRow,
  endOpenSession,
  endSessions,
  findLoginAccountId,
  findPasswordHash,
  listOpenSessions,
  serializeAccountDeletions,
  setPasswordHash,
  type SessionRow,
} from './account.repository.js'

export interface SessionView extends SessionRow {
  current: boolean
}

export interface PasswordChange {
  old_password: string
  new_password: string
  new_password_confirm: string
}

/**
 * The rate limiter's key for the account a login names: its id when it exists (so that the username and
 * the email, in any case, count as one), else the lower-cased name. Costs one indexed lookup, no hash.
 */
export async function loginAccountKey(db: Db, identifier: string): Promise<string> {
  const id = await findLoginAccountId(db, identifier)
  return id === undefined ? `name:${identifier.toLowerCase()}` : accountKeyOf(id)
}

/** The rate limiter's key for an account known by its id: the same as its logins'. */
export function accountKeyOf(userId: number): string {
  return `id:${userId}`
}

/**
 * Runs a password check under the account's count of failed logins (the caller's rate limiter): a stolen access
 * token must not become a way to guess the password without limit.
 */
export type GuardedCheck = (check: () => Promise<boolean>) => Promise<boolean>

export async function listSessions(db: Db, userId: number, currentSessionId: string | null): Promise<SessionView[]> {
  const sessions = await listOpenSessions(db, userId, new Date().toISOString())
  return sessions.map((session) => ({ ...session, current: session.id === currentSessionId }))
}

// Session ids are UUIDs (see the auth module); anything else names no session and is not looked up
// (PostgreSQL refuses a NUL in text with an error).
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function endSession(db: Db, userId: number, sessionId: string): Promise<void> {
  if (!SESSION_ID.test(sessionId)) throw notFound()
  if (!(await endOpenSession(db, userId, sessionId, new Date().toISOString()))) throw notFound()
}

export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await endSessions(db, userId, null)
}

/** Checks the old password and the policy, stores the new hash and ends every session but the caller's. */
export async function changePassword(
  db: Db,
  user: Caller,
  currentSessionId: string | null,
  change: PasswordChange,
  guard: GuardedCheck,
): Promise<void> {
  const errors = new FieldErrorCollector()
  for (const problem of passwordProblems(change.new_password, user.username, user.email)) errors.add('new_password', problem)
  if (change.new_password_confirm !== change.new_password) errors.add('new_password_confirm', 'Passwords do not match.')
  if (!(await guard(() => passwordIsRight(db, user.id, change.old_password)))) {
    errors.add('old_password', 'Your old password was entered incorrectly. Please enter it again.')
  }
  errors.throwIfAny()
  const passwordHash = await hashPassword(change.new_password)
  await inTransaction(db, async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash, new Date().toISOString())
    await endSessions(trx, user.id, currentSessionId)
  })
}

/**
 * Deletes the account and everything it made, moving every count it touched, in one transaction.
 * On PostgreSQL `deleteUserContent` first locks the user row (FOR UPDATE), so that nothing of the user's can
 * start meanwhile. Others take that row last (counters go posts before users), so a like, comment or unfollow
 * touching this user that is already in flight can deadlock with us: PostgreSQL aborts one side (40P01) and
 * `inTransaction` retries it; once we commit, the retried write finds the user or post gone (400/404).
 * Deletions themselves run one at a time (see serializeAccountDeletions).
 */
export async function deleteAccount(db: Db, userId: number, password: string, guard: GuardedCheck): Promise<void> {
  if (!(await guard(() => passwordIsRight(db, userId, password)))) throw ValidationError.field('password', 'Incorrect password.')
  await inTransaction(db, async (trx) => {
    await serializeAccountDeletions(trx)
    await deleteUserContent(trx, userId)
    await deleteFollowsOf(trx, userId)
    await endSessions(trx, userId, null)
    await deleteUserRow(trx, userId)
  })
}

async function passwordIsRight(db: Db, userId: number, password: string): Promise<boolean> {
  const passwordHash = await findPasswordHash(db, userId)
  // Deleted since its token was checked (by a parallel DELETE me/): the token no longer stands for anyone.
  if (passwordHash === undefined) throw tokenNotValid()
  return verifyPassword(passwordHash, password)
}
