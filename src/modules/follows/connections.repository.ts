import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedRead, preparedVariants } from '../../db/prepared.js'
import { valueCache } from '../../db/totals.js'
import { followedAmong, type Page } from './follows.repository.js'

type Side = 'followers' | 'following'

export interface ConnectionSummary {
  id: number
  username: string
  first_name: string
  last_name: string
  avatar: string | null
}

export interface ConnectionRow extends ConnectionSummary {
  is_following: boolean
}

/** The rows of one cached page as every anonymous caller sees them: one shared array per page. */
const anonymousPages = new WeakMap<readonly ConnectionSummary[], ConnectionRow[]>()

/**
 * Users on one side of a user's follows (its followers, or whom it follows), newest follow first, paged through
 * the (side, created_at, id, other) index; `storedCount` is that user's stored count for the side.
 *
 * When every user is active, the stored count is exact and a page is cached under the users table's
 * generation (moved by any change of a shown column or of `is_active`) and the user's version for the side
 * (moved by every follow or unfollow on that side), both read before anything is computed. `shared` says the
 * results are one array for every anonymous caller of this page and data (callers must not modify it).
 */
export async function listConnections(
  db: Db,
  user: { id: number; storedCount: number },
  side: Side,
  viewerId: number | null,
  page: Page,
): Promise<{ count: number; results: ConnectionRow[]; shared: boolean }> {
  const [versions] = await pageVersions(db, user.id)
  const allActive = versions !== undefined && Number(versions.inactive) === 0
  const count = allActive ? user.storedCount : await countActiveConnections(db, user.id, side)
  if (page.offset >= count) return { count, results: [], shared: false }
  let rows: readonly ConnectionSummary[]
  if (allActive) {
    const cache = valueCache<readonly ConnectionSummary[]>(db, 'connections')
    const version = side === 'followers' ? versions.followers_version : versions.follows_version
    const key = `${side}:${user.id}:${version}:${page.limit}:${page.offset}`
    const generation = Number(versions.generation)
    const cached = cache.get(key, generation)
    if (cached === undefined)
      cache.set(key, generation, (rows = await connectionsPage({ side, limit: page.limit, allActive })(db, user.id, page.offset)))
    else rows = cached
  } else {
    rows = await connectionsPage({ side, limit: page.limit, allActive })(db, user.id, page.offset)
  }
  if (viewerId === null) {
    let results = anonymousPages.get(rows)
    if (results === undefined) anonymousPages.set(rows, (results = rows.map((row) => ({ ...row, is_following: false }))))
    return { count, results, shared: true }
  }
  const followed =
    rows.length === 0
      ? new Set<number>()
      : await followedAmong(
          db,
          viewerId,
          rows.map((row) => row.id),
        )
  // New objects: the rows may be a cached page shared by every request.
  return { count, results: rows.map((row) => ({ ...row, is_following: followed.has(row.id) })), shared: false }
}

const pageVersions = preparedRead((db: Db, userId: number) =>
  db
    .selectFrom('users')
    .where('users.id', '=', userId)
    .select((eb) => [
      'users.follows_version',
      'users.followers_version',
      eb.selectFrom('table_totals').select('table_totals.generation').where('table_totals.name', '=', 'users').as('generation'),
      eb.selectFrom('table_totals').select('table_totals.inactive').where('table_totals.name', '=', 'users').as('inactive'),
    ]),
)

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
