import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedRead, preparedVariants } from '../../db/prepared.js'
import type { Page } from './posts.repository.js'
import { postViewsOf, toPostView, type PostView } from './views.repository.js'

/**
 * My posts and those of everyone I follow, newest first. The total is the stored `posts_count` of those
 * users (O(people I follow)), never a count over their posts. The page's ids come from the authors' index
 * entries alone (no post or user row is read for the posts before the page), then its rows are read.
 */
export async function feed(db: Db, userId: number, page: Page): Promise<{ total: number; posts: PostView[] }> {
  const [row] = await feedTotal(db, userId)
  const total = Number(row?.total ?? 0)
  if (page.offset >= total) return { total, posts: [] }
  const rows = await feedPage(page.limit)(db, userId, page.offset)
  return { total, posts: rows.map(toPostView) }
}

const feedTotal = preparedRead((db: Db, userId: number) =>
  db
    .selectFrom('users')
    .where('users.id', 'in', feedAuthors(userId))
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('posts_count'), sql.lit(0)).as('total')),
)

const feedPage = preparedVariants(
  (limit: number) => String(limit),
  (limit) => (db: Db, userId: number, offset: number) => {
    const ids = db
      .selectFrom('posts')
      .select(['posts.id as page_id', 'posts.created_at as page_key'])
      .where('posts.author_id', 'in', feedAuthors(userId))
      .orderBy('posts.created_at', 'desc')
      .orderBy('posts.id', 'desc')
      .limit(sql.lit(limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
      .offset(offset)
    return postViewsOf(db, ids, userId).orderBy('page.page_key', 'desc').orderBy('page.page_id', 'desc')
  },
)

/**
 * Everyone `userId` follows, and themself. A union rather than `author = me or author in (…)`: SQLite
 * answers an OR over two index searches by collecting and de-duplicating rows, ten times slower.
 */
function feedAuthors(userId: number) {
  return sql<number>`(select follows.following_id from follows where follows.follower_id = ${userId} union all select cast(${userId} as integer))`
}
