import type { Db } from '../../db/connect.js'
import { inTransaction, moveCounters, type CounterMove, type Trx } from '../../db/transaction.js'
import { FieldErrorCollector, notFound, ValidationError } from '../../errors.js'
import { hashPassword, verifyPassword } from '../auth/passwords.js'
import { identityKey, type UserRow } from '../users/users.repository.js'
import { passwordProblems } from '../users/users.validation.js'
import {
  deleteFollowsOf,
  deleteUserRow,
  endOpenSession,
  endSessions,
  findLoginAccountId,
  findPasswordHash,
  listOpenSessions,
  lockUser,
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
  const key = identityKey(identifier)
  const id = await findLoginAccountId(db, key)
  return id === undefined ? `name:${key}` : `id:${id}`
}

export async function listSessions(db: Db, userId: number, currentSessionId: string | null): Promise<SessionView[]> {
  const sessions = await listOpenSessions(db, userId, new Date().toISOString())
  return sessions.map((session) => ({ ...session, current: session.id === currentSessionId }))
}

export async function endSession(db: Db, userId: number, sessionId: string): Promise<void> {
  if (!(await endOpenSession(db, userId, sessionId, new Date().toISOString()))) throw notFound()
}

export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await endSessions(db, userId, null)
}

/** Checks the old password and the policy, stores the new hash and ends every session but the caller's. */
export async function changePassword(db: Db, user: UserRow, currentSessionId: string | null, change: PasswordChange): Promise<void> {
  const errors = new FieldErrorCollector()
  for (const problem of passwordProblems(change.new_password, user.username, user.email)) errors.add('new_password', problem)
  if (change.new_password_confirm !== change.new_password) errors.add('new_password_confirm', 'Passwords do not match.')
  if (!(await passwordIsRight(db, user.id, change.old_password))) {
    errors.add('old_password', 'Your old password was entered incorrectly. Please enter it again.')
  }
  errors.throwIfAny()
  const passwordHash = await hashPassword(change.new_password)
  await inTransaction(db, async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash, new Date().toISOString())
    await endSessions(trx, user.id, currentSessionId)
  })
}

/** Deletes the account and everything it made, moving every count it touched, in one transaction. */
export async function deleteAccount(db: Db, userId: number, password: string): Promise<void> {
  if (!(await passwordIsRight(db, userId, password))) throw ValidationError.field('password', 'Incorrect password.')
  await inTransaction(db, async (trx) => {
    if (!(await lockUser(trx, userId, new Date().toISOString()))) return
    await deleteContentOf(trx, userId)
    await deleteFollowsAndMoveCounts(trx, userId)
    await endSessions(trx, userId, null)
    await deleteUserRow(trx, userId)
  })
}

/** Posts, likes, comments and shares, with the counts they hold on other users and posts. */
async function deleteContentOf(_trx: Trx, _userId: number): Promise<void> {
  // The posts module's `deleteUserContent(trx, userId)` goes here once it is merged.
}

async function deleteFollowsAndMoveCounts(trx: Trx, userId: number): Promise<void> {
  const pairs = await deleteFollowsOf(trx, userId)
  const moves: CounterMove[] = pairs.map((pair) =>
    pair.follower_id === userId
      ? { table: 'users', id: pair.following_id, deltas: { followers_count: -1 } }
      : { table: 'users', id: pair.follower_id, deltas: { following_count: -1 } },
  )
  await moveCounters(trx, moves)
}

async function passwordIsRight(db: Db, userId: number, password: string): Promise<boolean> {
  const passwordHash = await findPasswordHash(db, userId)
  return passwordHash !== undefined && (await verifyPassword(passwordHash, password))
}
