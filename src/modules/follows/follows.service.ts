import type { Db } from '../../db/connect.js'
import { foreignKeyViolation, inTransaction } from '../../db/transaction.js'
import { badRequest, ValidationError } from '../../errors.js'
import type { Caller } from '../../plugins/auth.js'
import { findActiveUserName } from '../users/index.js'
import { deleteFollow, insertFollow, type FollowView } from './follows.repository.js'

const MAX_ID = 2 ** 31 - 1
const ALREADY_FOLLOWING = 'You are already following this user.'

function noSuchUser(followingId: number): ValidationError {
  return ValidationError.field('following', `Invalid pk "${followingId}" - object does not exist.`)
}

/** Follows an active user: one insert that tells "already following" by returning nothing, and both counters. */
export async function follow(db: Db, follower: Caller, followingId: number): Promise<FollowView> {
  if (followingId === follower.id) throw ValidationError.field('following', 'You cannot follow yourself.')
  const target = followingId >= 1 && followingId <= MAX_ID ? await findActiveUserName(db, followingId) : undefined
  if (target === undefined) throw noSuchUser(followingId)
  try {
    const inserted = await inTransaction(db, (trx) => insertFollow(trx, follower.id, target.id, new Date().toISOString()))
    if (inserted === undefined) throw ValidationError.field('following', ALREADY_FOLLOWING)
    return {
      id: inserted.id,
      follower: follower.id,
      following: target.id,
      follower_username: follower.username,
      following_username: target.username,
      created_at: inserted.created_at,
    }
  } catch (error) {
    // The target was deleted between the lookup and the insert.
    if (foreignKeyViolation(error)) throw noSuchUser(followingId)
    throw error
  }
}

export async function unfollow(db: Db, followerId: number, target: { id: number; username: string }): Promise<string> {
  const removed = await inTransaction(db, (trx) => deleteFollow(trx, followerId, target.id))
  if (!removed) throw badRequest(`You are not following ${target.username}.`)
  return `Stopped following ${target.username}`
}

// Reads hold no rules beyond their query: the routes reach them through the service all the same.
export { listConnections } from './connections.repository.js'
export { listFollowsMadeBy } from './follows.repository.js'
