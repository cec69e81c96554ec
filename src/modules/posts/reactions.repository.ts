import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'
import { stableInteger } from '../../db/stable-plan.js'
import type { Trx } from '../../db/transaction.js'
import type { Page } from './posts.repository.js'

/** Likes and shares: one row per (post, user), same shape. */
export type ReactionTable = 'likes' | 'shares'

export interface ReactionView {
  id: number
  post: number
  user: number
  username: string
  created_datetime: string
}

export interface CommentView {
  id: number
  post: number
  user: number
  username: string
  content: string
  created_datetime: string
}

/** Inserts the pair unless it exists (`on conflict do nothing`): true when this call created it. */
export async function insertReaction(
  trx: Trx,
  table: ReactionTable,
  postId: number,
  userId: number,
  now: string,
): Promise<boolean> {
  const row = await trx
    .insertInto(table)
    .values({ post_id: postId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** True when this call deleted the pair. */
export async function deleteReaction(trx: Trx, table: ReactionTable, postId: number, userId: number): Promise<boolean> {
  const row = await trx
    .deleteFrom(table)
    .where('post_id', '=', postId)
    .where('user_id', '=', userId)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** A post's likes or shares, newest first; the total is the post's stored count. */
export async function listReactions(db: Db, table: ReactionTable, postId: number, page: Page): Promise<ReactionView[]> {
  const rows = await db
    .selectFrom(table)
    .innerJoin('users', 'users.id', `${table}.user_id`)
    .select([
      `${table}.id`,
      `${table}.post_id as post`,
      `${table}.user_id as user`,
      'users.username',
      `${table}.created_at as created_datetime`,
    ])
    .where(`${table}.post_id`, '=', stableInteger(postId))
    .orderBy(`${table}.created_at`, 'desc')
    .orderBy(`${table}.id`, 'desc')
    .limit(sql.lit(page.limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
    .offset(page.offset)
    .execute()
  return rows.map((row) => ({ ...row, id: Number(row.id) }))
}

export async function insertComment(trx: Trx, postId: number, authorId: number, content: string, now: string): Promise<number> {
  const { id } = await trx
    .insertInto('comments')
    .values({ post_id: postId, author_id: authorId, content, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(id)
}

export async function findComment(db: Db, id: number): Promise<{ id: number; post_id: number; author_id: number } | undefined> {
  const row = await db.selectFrom('comments').select(['id', 'post_id', 'author_id']).where('id', '=', id).executeTakeFirst()
  return row && { ...row, id: Number(row.id) }
}

export async function findCommentView(db: Db, id: number): Promise<CommentView> {
  const row = await commentViews(db).where('comments.id', '=', id).executeTakeFirstOrThrow()
  return { ...row, id: Number(row.id) }
}

/** True when this call deleted it. */
export async function deleteComment(trx: Trx, id: number, postId: number): Promise<boolean> {
  const row = await trx
    .deleteFrom('comments')
    .where('id', '=', id)
    .where('post_id', '=', postId)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** A post's comments, oldest first (reading order). */
export async function listComments(db: Db, postId: number, page: Page): Promise<CommentView[]> {
  const rows = await commentViews(db)
    .where('comments.post_id', '=', stableInteger(postId))
    .orderBy('comments.created_at', 'asc')
    .orderBy('comments.id', 'asc')
    .limit(sql.lit(page.limit)) // literal: SQLite walks an index with it at half the cost of a bound LIMIT
    .offset(page.offset)
    .execute()
  return rows.map((row) => ({ ...row, id: Number(row.id) }))
}

function commentViews(db: Db) {
  return db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.author_id')
    .select([
      'comments.id',
      'comments.post_id as post',
      'comments.author_id as user',
      'users.username',
      'comments.content',
      'comments.created_at as created_datetime',
    ])
}
