import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { isFollowing, toSummary, type UserSummaryRow } from '../users/users.repository.js'

export interface FollowView {
  id: number
  follower: number
  following: number
  follower_username: string
  following_username: string
  created_at: string
}

export interface Page {
  limit: number
  offset: number
}

/** Inserts the follow and moves both counters in the caller's transaction; a duplicate throws a unique violation. */
export async function insertFollow(trx: Db, followerId: number, followingId: number, now: string): Promise<number> {
  const { id } = await trx
    .insertInto('follows')
    .values({ follower_id: followerId, following_id: followingId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await adjustCounters(trx, followerId, followingId, 1)
  return Number(id)
}

/** Deletes the follow and moves both counters back; false when there was nothing to delete. */
export async function deleteFollow(trx: Db, followerId: number, followingId: number): Promise<boolean> {
  const deleted = await trx
    .deleteFrom('follows')
    .where('follower_id', '=', followerId)
    .where('following_id', '=', followingId)
    .returning('id')
    .executeTakeFirst()
  if (deleted === undefined) return false
  await adjustCounters(trx, followerId, followingId, -1)
  return true
}

export async function followExists(db: Db, followerId: number, followingId: number): Promise<boolean> {
  const row = await db
    .selectFrom('follows')
    .select('id')
    .where('follower_id', '=', followerId)
    .where('following_id', '=', followingId)
    .executeTakeFirst()
  return row !== undefined
}

export async function findFollowView(db: Db, id: number): Promise<FollowView> {
  const row = await followViews(db).where('follows.id', '=', id).executeTakeFirstOrThrow()
  return { ...row, id: Number(row.id) }
}

/** The follows `followerId` made, newest first. */
export async function listFollowsMadeBy(db: Db, followerId: number, page: Page): Promise<{ count: number; results: FollowView[] }> {
  const scope = followViews(db).where('follows.follower_id', '=', followerId).where('followed.is_active', '=', sql.lit(true))
  const { count } = await scope.clearSelect().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  if (page.offset >= Number(count)) return { count: Number(count), results: [] }
  const results = await scope
    .orderBy('follows.created_at', 'desc')
    .orderBy('follows.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { count: Number(count), results: results.map((row) => ({ ...row, id: Number(row.id) })) }
}

/** Users on one side of `userId`'s follows (its followers, or whom it follows), newest follow first. */
export async function listConnections(
  db: Db,
  userId: number,
  side: 'followers' | 'following',
  viewerId: number | null,
  page: Page,
): Promise<{ count: number; results: UserSummaryRow[] }> {
  const [anchor, other] = side === 'followers' ? (['following_id', 'follower_id'] as const) : (['follower_id', 'following_id'] as const)
  const scope = db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', `follows.${other}`)
    .where(`follows.${anchor}`, '=', userId)
    .where('users.is_active', '=', sql.lit(true))
  const { count } = await scope.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  if (page.offset >= Number(count)) return { count: Number(count), results: [] }
  const rows = await scope
    .select(['users.id', 'users.username', 'users.first_name', 'users.last_name', 'users.avatar'])
    .select((eb) => isFollowing(eb, viewerId).as('is_following'))
    .orderBy('follows.created_at', 'desc')
    .orderBy('follows.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { count: Number(count), results: rows.map(toSummary) }
}

function followViews(db: Db) {
  return db
    .selectFrom('follows')
    .innerJoin('users as follower', 'follower.id', 'follows.follower_id')
    .innerJoin('users as followed', 'followed.id', 'follows.following_id')
    .select([
      'follows.id',
      'follows.follower_id as follower',
      'follows.following_id as following',
      'follower.username as follower_username',
      'followed.username as following_username',
      'follows.created_at',
    ])
}

/** Always lower id first, so that two transactions touching the same pair of users cannot deadlock. */
async function adjustCounters(trx: Db, followerId: number, followingId: number, delta: 1 | -1): Promise<void> {
  const updates = [
    { id: followerId, column: 'following_count' as const },
    { id: followingId, column: 'followers_count' as const },
  ].sort((a, b) => a.id - b.id)
  for (const { id, column } of updates) {
    await trx
      .updateTable('users')
      .set((eb) => ({ [column]: eb(column, '+', delta) }))
      .where('id', '=', id)
      .execute()
  }
}
