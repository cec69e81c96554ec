import type { Db } from '../../db/connect.js'
import { constraintFieldError } from '../../db/transaction.js'
import { notAuthenticated, notFound, tokenNotValid, ValidationError } from '../../errors.js'
import { markFollowing, type MarkedUser } from '../../lib/following-marks.js'
import type { Caller } from '../../plugins/auth.js'
import {
  emailTakenByAnother,
  findActiveUserByUsername,
  updateProfile,
  userStats,
  type Profile,
  type ProfileChanges,
  type UserStats,
} from './users.repository.js'
import { listUsers, type UserListQuery } from './list.repository.js'
import { EMAIL_TAKEN, isWellFormedUsername } from './users.validation.js'

/** Which of `ids` the viewer follows: one query for a page (handed in by the follows module). */
export type FollowedAmong = (db: Db, viewerId: number, ids: readonly number[]) => Promise<Set<number>>

/** The user a `{username}` path segment names: case-insensitive, `me` for the caller (401 when anonymous), else 404. */
export async function profileFromPath(db: Db, username: string, viewer: Caller | null): Promise<Profile> {
  if (username.toLowerCase() === 'me') {
    if (viewer === null) throw notAuthenticated()
    return viewer
  }
  if (!isWellFormedUsername(username)) throw notFound()
  const user = await findActiveUserByUsername(db, username)
  if (user === undefined) throw notFound()
  return user
}

/** A page of users with `is_following` from the viewer's side; `shared` as in `markFollowing`. */
export async function searchUsers(
  db: Db,
  query: UserListQuery,
  viewerId: number | null,
  followedAmong: FollowedAmong,
): Promise<{ total: number; users: MarkedUser[]; shared: boolean }> {
  const { total, users } = await listUsers(db, query)
  const marked = await markFollowing(users, viewerId, (viewer, ids) => followedAmong(db, viewer, ids))
  return { total, users: marked.rows, shared: marked.shared }
}

export async function changeProfile(db: Db, userId: number, changes: ProfileChanges): Promise<Profile> {
  if (changes.email !== undefined && (await emailTakenByAnother(db, changes.email, userId))) {
    throw ValidationError.field('email', EMAIL_TAKEN)
  }
  let updated: Profile | undefined
  try {
    updated = await updateProfile(db, userId, changes, new Date().toISOString())
  } catch (error) {
    // Another account took the email between the check and the update.
    throw constraintFieldError(error) ?? error
  }
  // The account was deleted since its token was checked: the token no longer stands for anyone.
  if (updated === undefined) throw tokenNotValid()
  return updated
}

export async function statsOf(db: Db, userId: number): Promise<UserStats> {
  const stats = await userStats(db, userId)
  // Deleted since the caller looked it up.
  if (stats === undefined) throw notFound()
  return stats
}
