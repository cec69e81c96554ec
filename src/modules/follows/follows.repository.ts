import { sql } from 'kysely'
import { sqlDialect, type Db } from '../../db/connect.js'
import { preparedRead } from '../../db/prepared.js'
import { stableInteger } from '../../db/stable-plan.js'
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
  const rows = await followedInList(db, viewerId, JSON.stringify(ids))
  return new Set(rows.map((row) => Number(row.following_id)))
}

// The ids travel as one JSON array, so that every page size shares one statement, prepared once (building and
// compiling the query with one parameter per id was a tenth of an authenticated followers page).
const followedInList = preparedRead((db: Db, viewerId: number, idsJson: string) =>
  db
    .selectFrom('follows')
    .select('following_id')
    .where('follower_id', '=', stableInteger(viewerId))
    .where(
      'following_id',
      'in',
      sqlDialect(db).name === 'postgres'
        ? sql<number>`(select value::integer from json_array_elements_text(${idsJson}::json))`
        : sql<number>`(select value from json_each(${idsJson}))`,
    ),
)

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
