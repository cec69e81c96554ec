import { sql } from 'kysely'
import { dialectOf } from '../../db/connect.js'
import type { Trx } from '../../db/transaction.js'

/** A user's likes, comments or shares on other users' posts, with whose post each is on. */
export type ContentTable = 'likes' | 'comments' | 'shares'

/** Locks the user row (PostgreSQL) so that no like, comment, share or post of theirs can start meanwhile. */
export async function lockUser(trx: Trx, userId: number): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute()
}

/** Deletes every post of the user (their likes, comments and shares cascade); returns what they carried. */
export async function deletePostsOf(trx: Trx, userId: number): Promise<{ posts: number; likes: number; comments: number }> {
  const rows = await trx
    .deleteFrom('posts')
    .where('author_id', '=', userId)
    .returning(['likes_count', 'comments_count'])
    .execute()
  return {
    posts: rows.length,
    likes: rows.reduce((sum, row) => sum + row.likes_count, 0),
    comments: rows.reduce((sum, row) => sum + row.comments_count, 0),
  }
}

/**
 * Deletes the user's rows of `table` and returns, per post they were on, the post's author and how many
 * went. The posts are locked first, in id order (the counters' global lock order).
 */
export async function deleteRowsOf(
  trx: Trx,
  table: ContentTable,
  userId: number,
): Promise<{ postId: number; authorId: number; removed: number }[]> {
  const column = table === 'comments' ? 'author_id' : 'user_id'
  let posts = trx
    .selectFrom('posts')
    .select(['posts.id', 'posts.author_id'])
    .where('posts.id', 'in', (eb) =>
      eb
        .selectFrom(table)
        .select(`${table}.post_id`)
        .where(sql.ref(`${table}.${column}`), '=', userId),
    )
    .orderBy('posts.id')
  if (dialectOf(trx) === 'postgres') posts = posts.forUpdate()
  const authors = new Map((await posts.execute()).map((row) => [row.id, row.author_id]))
  const deleted = await trx.deleteFrom(table).where(sql.ref(column), '=', userId).returning('post_id').execute()
  const removed = new Map<number, number>()
  for (const { post_id } of deleted) removed.set(post_id, (removed.get(post_id) ?? 0) + 1)
  return [...removed].map(([postId, count]) => ({ postId, authorId: authors.get(postId)!, removed: count }))
}
