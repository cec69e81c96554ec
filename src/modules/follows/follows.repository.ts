import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedVariants } from '../../db/prepared.js'
import { readTotals } from '../../db/totals.js'
import { moveCounters, type CounterMove, type Trx } from '../../db/transaction.js'

export interface FollowView {
  id: number
  follower: number
  following: number
  follower_username: string
  following_username: string
  created_at: string
}

export interface ConnectionRow {
  id: number
  username: string
  first_name: string
  last_name: string
  avatar: string | null
  is_following: boolean
}

export interface Page {
  limit: number
  offset: number
}

function counterMoves(followerId: number, followingId: number, delta: 1 | -1): CounterMove[] {
  return [
    { table: 'users', id: followerId, deltas: { following_count: delta } },
    { table: 'users', id: followingId, deltas: { followers_count: delta } },
  ]
}

/**
 * Inserts the follow and moves both counters; undefined when the pair already exists (nothing changes).
 * A missing user surfaces as the driver's foreign-key violation.
 */
export async function insertFollow(
  trx: Trx,
  followerId: number,
  followingId: number,
  now: string,
): Promise<{ id: number; created_at: string } | undefined> {
  const inserted = await trx
    .insertInto('follows')
    .values({ follower_id: followerId, following_id: followingId, created_at: now })
    .onConflict((oc) => oc.columns(['follower_id', 'following_id']).doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst()
  if (inserted === undefined) return undefined
  await moveCounters(trx, counterMoves(followerId, followingId, 1))
  return { id: Number(inserted.id), created_at: inserted.created_at }
}

/** Deletes the follow and moves both counters back; false when there was nothing to delete. */
export async function deleteFollow(trx: Trx, followerId: number, followingId: number): Promise<boolean> {
  const deleted = await trx
    .deleteFrom('follows')
    .where('follower_id', '=', followerId)
    .where('following_id', '=', followingId)
    .returning('id')
    .executeTakeFirst()
  if (deleted === undefined) return false
  await moveCounters(trx, counterMoves(followerId, followingId, -1))
  return true
}

/**
 * For account deletion, inside its transaction: deletes every follow the user made or received and moves
 * the counts of the users on the other side (the user's own row goes with the account).
 */
export async function deleteFollowsOf(trx: Trx, userId: number): Promise<void> {
  const pairs = await trx
    .deleteFrom('follows')
    .where((eb) => eb.or([eb('follower_id', '=', userId), eb('following_id', '=', userId)]))
    .returning(['follower_id', 'following_id'])
    .execute()
  await moveCounters(
    trx,
    pairs.flatMap((pair) => counterMoves(pair.follower_id, pair.following_id, -1)),
  )
}

/** Which of `ids` the viewer follows: one `IN` query on the pair index. */
export async function followedAmong(db: Db, viewerId: number, ids: readonly number[]): Promise<Set<number>> {
  const rows = await db
    .selectFrom('follows')
    .select('following_id')
    .where('follower_id', '=', viewerId)
    .where('following_id', 'in', [...ids])
    .execute()
  return new Set(rows.map((row) => row.following_id))
}

/**
 * The follows `followerId` made, newest first; `followingCount` is the follower's stored `following_count`.
 * When every user is active (the stored totals say so) that count is exact and the follows before the page
 * are skipped on the (follower, created_at, id) index alone; otherwise inactive users are counted out.
 */
export async function listFollowsMadeBy(
  db: Db,
  followerId: number,
  followingCount: number,
  page: Page,
): Promise<{ count: number; results: FollowView[] }> {
  const allActive = (await readTotals(db, 'users')).inactive === 0
  const scope = followViews(db).where('follows.follower_id', '=', followerId).where('followed.is_active', '=', sql.lit(true))
  const count = allActive
    ? followingCount
    : Number(
        (
          await scope
            .clearSelect()
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      )
  if (page.offset >= count) return { count, results: [] }
  const ordered = scope.orderBy('follows.created_at', 'desc').orderBy('follows.id', 'desc')
  const pageIds = db
    .selectFrom('follows')
    .select('follows.id')
    .where('follows.follower_id', '=', followerId)
    .orderBy('follows.created_at', 'desc')
    .orderBy('follows.id', 'desc')
    .limit(sql.lit(page.limit))
    .offset(page.offset)
  const results = await (allActive ? ordered.where('follows.id', 'in', pageIds) : ordered.offset(page.offset))
    .limit(sql.lit(page.limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
    .execute()
  return { count, results: results.map((row) => ({ ...row, id: Number(row.id) })) }
}

function sideColumns(side: 'followers' | 'following') {
  return side === 'followers' ? (['following_id', 'follower_id'] as const) : (['follower_id', 'following_id'] as const)
}

type PageVariant = { side: 'followers' | 'following'; limit: number; allActive: boolean }

/**
 * A page of one side of a user's follows, compiled once per side, page size and whether every user is
 * active. When every user is, the entries before the page are skipped on the (side, created_at, id, other)
 * index alone and only the page's users are read; otherwise each entry's user is checked as it is counted.
 */
const connectionsPage = preparedVariants(
  ({ side, limit, allActive }: PageVariant) => `${side}:${limit}:${allActive}`,
  ({ side, limit, allActive }) => {
    const [anchor, other] = sideColumns(side)
    const columns = ['users.id', 'users.username', 'users.first_name', 'users.last_name', 'users.avatar'] as const
    return (db: Db, userId: number, offset: number) => {
      if (!allActive)
        return db
          .selectFrom('follows')
          .innerJoin('users', 'users.id', `follows.${other}`)
          .where(`follows.${anchor}`, '=', userId)
          .where('users.is_active', '=', sql.lit(true))
          .select(columns)
          .orderBy('follows.created_at', 'desc')
          .orderBy('follows.id', 'desc')
          .limit(sql.lit(limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
          .offset(offset)
      const page = db
        .selectFrom('follows')
        .where(`follows.${anchor}`, '=', userId)
        .select([`follows.${other} as page_user`, 'follows.created_at as page_time', 'follows.id as page_id'])
        .orderBy('follows.created_at', 'desc')
        .orderBy('follows.id', 'desc')
        .limit(sql.lit(limit))
        .offset(offset)
      return (
        db
          .selectFrom(page.as('page'))
          .innerJoin('users', 'users.id', 'page.page_user')
          // Still checked: a user deactivated since the totals were read drops out of the page.
          .where('users.is_active', '=', sql.lit(true))
          .select(columns)
          .orderBy('page.page_time', 'desc')
          .orderBy('page.page_id', 'desc')
      )
    }
  },
)

/**
 * Users on one side of a user's follows (its followers, or whom it follows), newest follow first, paged through
 * the (side, created_at, id, other) index; `storedCount` is that user's stored count for the side.
 */
export async function listConnections(
  db: Db,
  user: { id: number; storedCount: number },
  side: 'followers' | 'following',
  viewerId: number | null,
  page: Page,
): Promise<{ count: number; results: ConnectionRow[] }> {
  const allActive = (await readTotals(db, 'users')).inactive === 0
  const count = allActive ? user.storedCount : await countActiveConnections(db, user.id, side)
  if (page.offset >= count) return { count, results: [] }
  const rows = await connectionsPage({ side, limit: page.limit, allActive })(db, user.id, page.offset)
  const followed =
    viewerId === null || rows.length === 0
      ? new Set<number>()
      : await followedAmong(
          db,
          viewerId,
          rows.map((row) => row.id),
        )
  const results = rows as ConnectionRow[]
  for (const row of results) row.is_following = followed.has(row.id)
  return { count, results }
}

async function countActiveConnections(db: Db, userId: number, side: 'followers' | 'following'): Promise<number> {
  const [anchor, other] = sideColumns(side)
  const row = await db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', `follows.${other}`)
    .where(`follows.${anchor}`, '=', userId)
    .where('users.is_active', '=', sql.lit(true))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
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
