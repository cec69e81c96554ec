import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { sqlDialect, type Db } from '../../db/connect.js'
import type { Database, PostType } from '../../db/database.js'
import { preparedFirst, preparedVariants } from '../../db/prepared.js'
import { countCache, readTotals } from '../../db/totals.js'
import type { Trx } from '../../db/transaction.js'
import type { PostOrderField } from './posts.schemas.js'
import { postRowsStamp, postViews, postViewsOf, postViewPages, toPostView, type PostView } from './views.repository.js'

export type { PostView }

/** What the rules need to know about a post. */
export interface PostRef {
  id: number
  author_id: number
  post_type: PostType
  original_post_id: number | null
  likes_count: number
  comments_count: number
  shares_count: number
}

export interface NewPost {
  authorId: number
  title: string
  content: string
  postType: PostType
  originalPostId: number | null
}

export interface Page {
  limit: number
  offset: number
}

export interface PostListQuery extends Page {
  /** Authors to keep, with their stored post counts; undefined for every author. */
  authors?: { id: number; posts_count: number }[]
  search?: string
  orderBy: PostOrderField
  descending: boolean
  viewerId: number | null
}

const ORDER_COLUMNS = {
  created_datetime: 'posts.created_at',
  likes_count: 'posts.likes_count',
  comments_count: 'posts.comments_count',
} as const

export async function findPostRef(db: Db, id: number): Promise<PostRef | undefined> {
  return db
    .selectFrom('posts')
    .select(['id', 'author_id', 'post_type', 'original_post_id', 'likes_count', 'comments_count', 'shares_count'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function findPostView(db: Db, id: number, viewerId: number | null): Promise<PostView | undefined> {
  const row = viewerId === null ? await anonymousView(db, id) : await viewerView(db, id, viewerId)
  return row && toPostView(row)
}

const anonymousView = preparedFirst((db: Db, id: number) => postViews(db, null).where('posts.id', '=', id))
const viewerView = preparedFirst((db: Db, id: number, viewerId: number) => postViews(db, viewerId).where('posts.id', '=', id))

export async function insertPost(trx: Trx, post: NewPost, now: string): Promise<number> {
  const { id } = await trx
    .insertInto('posts')
    .values({
      author_id: post.authorId,
      title: post.title,
      content: post.content,
      post_type: post.postType,
      original_post_id: post.originalPostId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(id)
}

export async function updatePost(db: Db, id: number, changes: { title?: string; content?: string }, now: string): Promise<void> {
  await db
    .updateTable('posts')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute()
}

/** Deletes the post (its likes, comments and shares cascade) and returns the counts it carried. */
export async function deletePostRow(
  trx: Trx,
  id: number,
): Promise<{ author_id: number; likes_count: number; comments_count: number } | undefined> {
  return trx.deleteFrom('posts').where('id', '=', id).returning(['author_id', 'likes_count', 'comments_count']).executeTakeFirst()
}

/** Ids and stored post counts of the users named (case-insensitive keys); unknown names are left out. */
export async function authorsByUsername(db: Db, usernameKeys: string[]): Promise<{ id: number; posts_count: number }[]> {
  if (usernameKeys.length === 0) return []
  return db.selectFrom('users').select(['id', 'posts_count']).where('username_key', 'in', usernameKeys).execute()
}

/**
 * One page of posts with the exact total: the stored posts total without filters, the authors' stored
 * `posts_count` for a username filter, else a count cached for the posts table's current generation.
 * `shared`: the posts are a cached page, the same array for every call until a post row changes.
 */
export async function listPosts(
  db: Db,
  query: PostListQuery,
): Promise<{ total: number; posts: readonly PostView[]; shared: boolean }> {
  if (query.authors !== undefined && query.authors.length === 0) return { total: 0, posts: [], shared: false }
  if (query.authors === undefined && !query.search) return allPosts(db, query)
  const total = await countPosts(db, query)
  if (query.offset >= total) return { total, posts: [], shared: false }
  const walked = await walkedSearchPage(db, query, total)
  if (walked !== undefined) return { total, posts: walked, shared: false }
  const direction = query.descending ? 'desc' : 'asc'
  const ids = orderedIds(
    db.selectFrom('posts').where((eb) => eb.and(filters(db, eb, query))),
    query.orderBy,
    direction,
    query.limit,
    query.offset,
  )
  const rows = await postViewsOf(db, ids, query.viewerId)
    .orderBy('page.page_key', direction)
    .orderBy('page.page_id', direction)
    .execute()
  return { total, posts: rows.map(toPostView), shared: false }
}

/**
 * A search page found by walking the ordering's index and matching post by post, when that reads far fewer posts
 * than collecting every match through the trigram index and sorting them (a common term: 200k matches of 1M
 * posts cost 200 ms a page). The walk stops after WALK_SLACK times the posts the matches' density predicts;
 * when the page is not complete by then (the matches cluster further on), undefined: the caller collects them.
 * SQLite, ASCII terms of 3+ characters (where LIKE and the trigram index agree on case); PostgreSQL's planner
 * makes this choice itself.
 */
async function walkedSearchPage(db: Db, query: PostListQuery, total: number): Promise<PostView[] | undefined> {
  const term = query.search
  if (!term || query.authors !== undefined || sqlDialect(db).name === 'postgres' || !/^[\x20-\x7e]{3,}$/.test(term)) {
    return undefined
  }
  const all = (await readTotals(db, 'posts')).total
  const budget = WALK_SLACK * Math.ceil(((query.offset + query.limit) * all) / total) + WALK_FLOOR
  if (budget >= total) return undefined
  const column = ORDER_COLUMNS[query.orderBy]
  const direction = query.descending ? 'desc' : 'asc'
  // The post at which the walk stops: the index alone is read to find it.
  const last = await db
    .selectFrom('posts')
    .select([`${column} as key`, 'posts.id'])
    .orderBy(column, direction)
    .orderBy('posts.id', direction)
    .limit(1)
    .offset(budget - 1)
    .executeTakeFirst()
  const posts = db.selectFrom('posts').where((eb) => {
    const filters = [contains(db, eb, term, false)]
    if (last !== undefined) {
      const before = direction === 'desc' ? sql`>=` : sql`<=`
      filters.push(sql<SqlBool>`(${sql.ref(column)}, posts.id) ${before} (${last.key}, ${last.id})`)
    }
    return eb.and(filters)
  })
  const rows = await postViewsOf(db, orderedIds(posts, query.orderBy, direction, query.limit, query.offset), query.viewerId)
    .orderBy('page.page_key', direction)
    .orderBy('page.page_id', direction)
    .execute()
  return rows.length === Math.min(query.limit, total - query.offset) ? rows.map(toPostView) : undefined
}

const WALK_SLACK = 4
const WALK_FLOOR = 200

/** A page of all posts: cached whole where the `post_rows` generation is kept, else read by index. */
async function allPosts(db: Db, query: PostListQuery): Promise<{ total: number; posts: readonly PostView[]; shared: boolean }> {
  const read = async () => {
    const rows = await postsPage({ ...query, anonymous: query.viewerId === null })(db, query.viewerId ?? 0, query.offset)
    return rows.map(toPostView)
  }
  if (!sqlDialect(db).postRowsGeneration) {
    const total = await countPosts(db, query)
    return { total, posts: query.offset >= total ? [] : await read(), shared: false }
  }
  const stamp = await postRowsStamp(db)
  const total = stamp.postsTotal
  if (query.offset >= total) return { total, posts: [], shared: false }
  const key = `all:${stamp.users}:${query.viewerId}:${query.orderBy}:${query.descending}:${query.limit}:${query.offset}`
  const page = await postViewPages(db).through(key, stamp.generation, async () => ({ total, posts: await read() }))
  return { total, posts: page.posts, shared: true }
}

type PageVariant = { orderBy: PostOrderField; descending: boolean; limit: number; anonymous: boolean }

/** A page of all posts, compiled once per ordering, page size and whether a viewer's likes are looked up. */
const postsPage = preparedVariants(
  ({ orderBy, descending, limit, anonymous }: PageVariant) => `${orderBy}:${descending}:${limit}:${anonymous}`,
  ({ orderBy, descending, limit, anonymous }) =>
    (db: Db, viewerId: number, offset: number) => {
      const direction = descending ? 'desc' : 'asc'
      const ids = orderedIds(db.selectFrom('posts'), orderBy, direction, limit, offset)
      return postViewsOf(db, ids, anonymous ? null : viewerId)
        .orderBy('page.page_key', direction)
        .orderBy('page.page_id', direction)
    },
)

/** The page's ids first, from the ordering's index, so the posts before the page cost no row reads. */
function orderedIds(
  posts: SelectQueryBuilder<Database, 'posts', object>,
  orderBy: PostOrderField,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
) {
  return posts
    .select(['posts.id as page_id', `${ORDER_COLUMNS[orderBy]} as page_key`])
    .orderBy(ORDER_COLUMNS[orderBy], direction)
    .orderBy('posts.id', direction)
    .limit(sql.lit(limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
    .offset(offset)
}

async function countPosts(db: Db, query: PostListQuery): Promise<number> {
  if (!query.search && query.authors !== undefined)
    return query.authors.reduce((sum, author) => sum + Number(author.posts_count), 0)
  // The generation is read before counting, so a count is never stored under a newer generation than its snapshot.
  const totals = await readTotals(db, 'posts')
  const term = query.search
  if (!term) return totals.total
  const key = JSON.stringify([foldCase(term), (query.authors ?? []).map((author) => author.id).sort((a, b) => a - b)])
  return countCache(db, 'posts').through(key, totals.generation, () => countMatches(db, query, term))
}

/** ASCII terms fold case (both dialects match ASCII case-insensitively); others stay exact. */
function foldCase(term: string): string {
  return /^[\x20-\x7e]*$/.test(term) ? term.toLowerCase() : term
}

async function countMatches(db: Db, query: PostListQuery, term: string): Promise<number> {
  if (query.authors === undefined && sqlDialect(db).name !== 'postgres' && [...term].length >= 3) {
    // The trigram table alone counts the matches, without visiting a post row.
    const { rows } = await sql<{ total: number }>`select count(*) as total from posts_search
      where posts_search match ${ftsPhrase(term)}`.execute(db)
    return Number(rows[0]?.total ?? 0)
  }
  const { total } = await db
    .selectFrom('posts')
    .where((eb) => eb.and(filters(db, eb, query)))
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow()
  return Number(total)
}

function filters(db: Db, eb: ExpressionBuilder<Database, 'posts'>, query: PostListQuery): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = []
  if (query.authors !== undefined)
    list.push(
      eb(
        'posts.author_id',
        'in',
        query.authors.map((author) => author.id),
      ),
    )
  if (query.search) list.push(contains(db, eb, query.search))
  return list
}

/**
 * Case-insensitive substring of title or content, `%` `_` `\` literal. SQLite answers from the FTS5
 * trigram index (`indexed`, terms of 3+ characters; shorter ones scan); PostgreSQL from the pg_trgm GIN indexes.
 */
function contains(db: Db, eb: ExpressionBuilder<Database, 'posts'>, term: string, indexed = true): Expression<SqlBool> {
  const postgres = sqlDialect(db).name === 'postgres'
  if (indexed && !postgres && [...term].length >= 3) {
    return sql<SqlBool>`posts.id in (select rowid from posts_search where posts_search match ${ftsPhrase(term)})`
  }
  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  const operator = postgres ? sql`ilike` : sql`like`
  return eb.or([
    sql<SqlBool>`posts.title ${operator} ${pattern} escape '\\'`,
    sql<SqlBool>`posts.content ${operator} ${pattern} escape '\\'`,
  ])
}

function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`
}
