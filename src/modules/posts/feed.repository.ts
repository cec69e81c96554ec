import { sql, type ExpressionBuilder } from 'kysely'
import type { Db } from '../../db/connect.js'
import type { Database } from '../../db/database.js'
import { preparedFirst, preparedVariants } from '../../db/prepared.js'
import { valueCache } from '../../db/totals.js'
import type { Page } from './posts.repository.js'
import { postViewPages, postViewsByIds, type PostView } from './views.repository.js'

interface FeedPage {
  total: number
  ids: number[]
}

/**
 * My posts and those of everyone I follow, newest first. The total is the stored `posts_count` of those
 * users (O(people I follow)), never a count over their posts. The page's ids come from the authors' index
 * entries alone, then only the page's rows are read, with their counters and my likes as they are now.
 *
 * The total and the ids depend only on whom I follow and on which posts exist: they are cached under my
 * `follows_version` and the posts table's generation (both moved by triggers in the writers' transactions,
 * read here before anything is computed), so a follow, an unfollow, a new or deleted post shows at once, in
 * every process. Where the `post_rows` generation is kept (SQLite), the rows are cached with them.
 */
export async function feed(
  db: Db,
  userId: number,
  page: Page,
): Promise<{ total: number; posts: readonly PostView[]; shared: boolean }> {
  const versions = await feedVersions(db, userId)
  if (versions === undefined) return { ...(await feedViews(db, userId, await feedPage(db, userId, page))), shared: false }
  if (versions.rows_generation !== null) {
    // Where the `post_rows` generation is kept, the whole page is cached: it moves with every shown column.
    const key = `feed:${userId}:${versions.follows_version}:${versions.users_generation}:${page.limit}:${page.offset}`
    const found = await postViewPages(db).through(key, Number(versions.rows_generation), async () =>
      feedViews(db, userId, await feedPage(db, userId, page)),
    )
    return { ...found, shared: true }
  }
  const ids = await cachedFeedPage(db, userId, page, Number(versions.follows_version), Number(versions.generation))
  return { ...(await feedViews(db, userId, ids)), shared: false }
}

/** The page's rows, with their counters and the reader's likes as they are now. */
async function feedViews(db: Db, userId: number, { total, ids }: FeedPage): Promise<{ total: number; posts: PostView[] }> {
  if (ids.length === 0) return { total, posts: [] }
  const byId = new Map((await postViewsByIds(db, ids, userId)).map((post) => [post.id, post]))
  return { total, posts: ids.flatMap((id) => byId.get(id) ?? []) }
}

async function cachedFeedPage(db: Db, userId: number, page: Page, followsVersion: number, generation: number): Promise<FeedPage> {
  const key = `${userId}:${followsVersion}:${page.limit}:${page.offset}`
  return valueCache<FeedPage>(db, 'feed').through(key, generation, () => feedPage(db, userId, page))
}

async function feedPage(db: Db, userId: number, page: Page): Promise<FeedPage> {
  const row = await feedTotal(db, userId)
  const total = Number(row?.total ?? 0)
  if (page.offset >= total) return { total, ids: [] }
  const rows = await feedIds(page.limit)(db, userId, page.offset)
  return { total, ids: rows.map((row) => Number(row.id)) }
}

const feedVersions = preparedFirst(
  (db: Db, userId: number) =>
    db
      .selectFrom('users')
      .where('users.id', '=', userId)
      .select((eb) => [
        'users.follows_version',
        generationOf(eb, 'posts').as('generation'),
        generationOf(eb, 'post_rows').as('rows_generation'),
        generationOf(eb, 'users').as('users_generation'),
      ]),
  { shared: true },
)

function generationOf(eb: ExpressionBuilder<Database, 'users'>, name: string) {
  return eb.selectFrom('table_totals').select('table_totals.generation').where('table_totals.name', '=', name)
}

const feedTotal = preparedFirst((db: Db, userId: number) =>
  db
    .selectFrom('users')
    .where('users.id', 'in', feedAuthors(userId))
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('posts_count'), sql.lit(0)).as('total')),
)

const feedIds = preparedVariants(
  (limit: number) => String(limit),
  (limit) => (db: Db, userId: number, offset: number) =>
    db
      .selectFrom('posts')
      .select('posts.id')
      .where('posts.author_id', 'in', feedAuthors(userId))
      .orderBy('posts.created_at', 'desc')
      .orderBy('posts.id', 'desc')
      .limit(sql.lit(limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
      .offset(offset),
)

/**
 * Everyone `userId` follows, and themself. A union rather than `author = me or author in (…)`: SQLite
 * answers an OR over two index searches by collecting and de-duplicating rows, ten times slower.
 */
function feedAuthors(userId: number) {
  return sql<number>`(select follows.following_id from follows where follows.follower_id = ${userId} union all select cast(${userId} as integer))`
}
