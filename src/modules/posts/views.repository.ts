import { sql, type AliasableExpression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../db/connect.js'
import type { Database, PostType } from '../../db/database.js'
import { preparedRead, preparedVariants } from '../../db/prepared.js'
import { stableInteger } from '../../db/stable-plan.js'
import { weighedValueCache, type GenerationCache } from '../../db/totals.js'

export interface PostView {
  id: number
  username: string
  title: string
  content: string
  created_datetime: string
  post_type: PostType
  original_post: number | null
  likes_count: number
  comments_count: number
  shares_count: number
  is_liked: boolean
}

/** The views of the posts a page query names (as `page_id`, with its ordering value as `page_key`). */
export function postViewsOf(
  db: Db,
  page: SelectQueryBuilder<Database, 'posts', { page_id: number; page_key: string | number }>,
  viewerId: number | null,
) {
  return db
    .selectFrom(page.as('page'))
    .innerJoin('posts', 'posts.id', 'page.page_id')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select(POST_VIEW_COLUMNS)
    .select((eb) => likedBy(eb, viewerId).as('is_liked'))
}

export function postViews(db: Db, viewerId: number | null) {
  return db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select(POST_VIEW_COLUMNS)
    .select((eb) => likedBy(eb, viewerId).as('is_liked'))
}

/**
 * The views of the posts with these ids, in no particular order (a deleted one is left out): prepared once
 * per number of ids.
 */
export async function postViewsByIds(db: Db, ids: readonly number[], viewerId: number): Promise<PostView[]> {
  const rows = await viewsByIds(ids.length)(db, viewerId, ...ids)
  return rows.map(toPostView)
}

const viewsByIds = preparedVariants(
  (count: number) => String(count),
  (count) =>
    (db: Db, viewerId: number, ...ids: number[]) =>
      postViews(db, viewerId).where('posts.id', 'in', ids.slice(0, count)),
)

const POST_VIEW_COLUMNS = [
  'posts.id',
  'users.username',
  'posts.title',
  'posts.content',
  'posts.created_at as created_datetime',
  'posts.post_type',
  'posts.original_post_id as original_post',
  'posts.likes_count',
  'posts.comments_count',
  'posts.shares_count',
] as const

/** Whether `viewerId` likes the row's post: one lookup on the likes pair index. */
function likedBy(eb: ExpressionBuilder<Database, 'posts' | 'users'>, viewerId: number | null): AliasableExpression<SqlBool> {
  if (viewerId === null) return sql.lit(false)
  return eb.exists(
    eb
      .selectFrom('likes')
      .select(sql.lit(1).as('one'))
      .whereRef('likes.post_id', '=', 'posts.id')
      .where('likes.user_id', '=', stableInteger(viewerId)),
  )
}

/** A row as read (a fresh object of its own, never a shared or cached one), converted in place. */
export function toPostView(row: Omit<PostView, 'is_liked'> & { is_liked: unknown }): PostView {
  const view = row as PostView
  view.id = Number(row.id)
  view.is_liked = Boolean(row.is_liked)
  return view
}

/**
 * Where the `post_rows` generation is kept (SqlDialect.postRowsGeneration): the posts total, that generation
 * and the users generation (a renamed author), read together. Whole pages of post views are cached under
 * them; a caller's likes are part of the key's viewer.
 */
export async function postRowsStamp(db: Db): Promise<{ postsTotal: number; generation: number; users: number }> {
  const rows = await stampRows(db)
  const row = (name: string) => {
    const found = rows.find((candidate) => candidate.name === name)
    if (found === undefined) throw new Error(`table_totals has no row ${name}`)
    return found
  }
  return {
    postsTotal: Number(row('posts').total),
    generation: Number(row('post_rows').generation),
    users: Number(row('users').generation),
  }
}

// The names are literals: bound values compared to an indexed column make SQLite re-plan the statement on every
// run once ANALYZE has written sqlite_stat4 (as `npm run seed` does), a tenth of a posts-list read.
const stampRows = preparedRead((db: Db) =>
  db
    .selectFrom('table_totals')
    .select(['name', 'total', 'generation'])
    .where('name', 'in', [sql.lit('posts'), sql.lit('post_rows'), sql.lit('users')]),
)

/**
 * Cached pages of post views, each for one viewer, under the `post_rows` generation, and the page's total
 * where it has one. Shared: callers must not modify them. Bounded by the characters they hold (a page of 100
 * posts of 5,000 characters each is half a million).
 */
export function postViewPages(db: Db): GenerationCache<PostViewPage> {
  return weighedValueCache(db, 'post-views', weighPage, PAGE_CHARACTERS)
}

type PostViewPage = { total: number; posts: readonly PostView[] }

// About 64 MB of post text, and as much again for the answers serialized from it.
const PAGE_CHARACTERS = 32_000_000

function weighPage(page: PostViewPage): number {
  let characters = 0
  for (const post of page.posts) characters += post.title.length + post.content.length + post.username.length + 200
  return characters
}
