import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedFirst, preparedVariants } from '../../db/prepared.js'
import { valueCache } from '../../db/totals.js'
import { markFollowing, type ListedUser, type MarkedUser } from '../../lib/following-marks.js'
import { followedAmong, type Page } from './follows.repository.js'

type Side = 'followers' | 'following'

/**
 * Users on one side of a user's follows (its followers, or whom it follows), newest follow first, paged through
 * the (side, created_at, id, other) index; `storedCount` is that user's stored count for the side.
 *
 * When every user is active, the stored count is exact and a page is cached under the users table's
 * generation (moved by any change of a shown column or of `is_active`) and the user's version for the side
 * (moved by every follow or unfollow on that side), both read before anything is computed. `shared` as in
 * `markFollowing`.
 */
export async function listConnections(
  db: Db,
  user: { id: number; storedCount: number },
  side: Side,
  viewerId: number | null,
  page: Page,
): Promise<{ count: number; results: MarkedUser[]; shared: boolean }> {
  const versions = await pageVersions(db, user.id)
  const allActive = versions !== undefined && Number(versions.inactive) === 0
  const count = allActive ? user.storedCount : await countActiveConnections(db, user.id, side)
  if (page.offset >= count) return { count, results: [], shared: false }
  const read = () => connectionsPage({ side, limit: page.limit, allActive })(db, user.id, page.offset)
  let rows: readonly ListedUser[]
  if (allActive) {
    const version = side === 'followers' ? versions.followers_version : versions.follows_version
    const key = `${side}:${user.id}:${version}:${page.limit}:${page.offset}`
    rows = await valueCache<readonly ListedUser[]>(db, 'connections').through(key, Number(versions.generation), read)
  } else {
    rows = await read()
  }
  const marked = await markFollowing(rows, viewerId, (viewer, ids) => followedAmong(db, viewer, ids))
  return { count, results: marked.rows, shared: marked.shared }
}

const pageVersions = preparedFirst(
  (db: Db, userId: number) =>
    db
      .selectFrom('users')
      .innerJoin('table_totals', (join) => join.on('table_totals.name', '=', sql.lit('users')))
      .where('users.id', '=', userId)
      .select(['users.follows_version', 'users.followers_version', 'table_totals.generation', 'table_totals.inactive']),
  { shared: true },
)

function sideColumns(side: Side) {
  return side === 'followers' ? (['following_id', 'follower_id'] as const) : (['follower_id', 'following_id'] as const)
}

type PageVariant = { side: Side; limit: number; allActive: boolean }

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
        return activeConnections(db, side, userId)
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

async function countActiveConnections(db: Db, userId: number, side: Side): Promise<number> {
  const row = await activeConnections(db, side, userId)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** The follows on one side of a user whose other side is active, joined to that other user. */
function activeConnections(db: Db, side: Side, userId: number) {
  const [anchor, other] = sideColumns(side)
  return db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', `follows.${other}`)
    .where(`follows.${anchor}`, '=', userId)
    .where('users.is_active', '=', sql.lit(true))
}
