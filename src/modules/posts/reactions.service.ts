import type { Db } from '../../db/connect.js'
import { inTransaction, moveCounters } from '../../db/transaction.js'
import { badRequest, HttpError, notFound } from '../../errors.js'
import type { PostRef } from './posts.repository.js'
import { onLivePost, parseId } from './posts.service.js'
import {
  deleteComment,
  deleteReaction,
  findComment,
  findCommentView,
  insertComment,
  insertReaction,
  type CommentView,
  type ReactionTable,
} from './reactions.repository.js'

/** Likes or shares the post; true when this call created the row, false when it already existed. */
export async function react(db: Db, table: ReactionTable, post: PostRef, userId: number): Promise<boolean> {
  return onLivePost(db, async (trx) => {
    const created = await insertReaction(trx, table, post.id, userId, new Date().toISOString())
    if (!created) return false
    await moveCounters(
      trx,
      table === 'likes'
        ? [
            { table: 'posts', id: post.id, deltas: { likes_count: 1 } },
            { table: 'users', id: post.author_id, deltas: { likes_received: 1 } },
          ]
        : [{ table: 'posts', id: post.id, deltas: { shares_count: 1 } }],
    )
    return true
  })
}

export async function unreact(db: Db, table: ReactionTable, post: PostRef, userId: number): Promise<void> {
  const removed = await inTransaction(db, async (trx) => {
    if (!(await deleteReaction(trx, table, post.id, userId))) return false
    await moveCounters(
      trx,
      table === 'likes'
        ? [
            { table: 'posts', id: post.id, deltas: { likes_count: -1 } },
            { table: 'users', id: post.author_id, deltas: { likes_received: -1 } },
          ]
        : [{ table: 'posts', id: post.id, deltas: { shares_count: -1 } }],
    )
    return true
  })
  if (!removed) throw badRequest(table === 'likes' ? 'You have not liked this post.' : 'You have not shared this post.')
}

export async function addComment(db: Db, post: PostRef, authorId: number, content: string): Promise<CommentView> {
  // Read back in the transaction: once it commits, the post (and the comment with it) may be deleted at once.
  return onLivePost(db, async (trx) => {
    const commentId = await insertComment(trx, post.id, authorId, content, new Date().toISOString())
    await moveCounters(trx, [
      { table: 'posts', id: post.id, deltas: { comments_count: 1 } },
      { table: 'users', id: post.author_id, deltas: { comments_received: 1 } },
    ])
    return findCommentView(trx, commentId)
  })
}

/** The comment's author or the post's author may delete it; unknown, or on another post → 404. */
export async function removeComment(db: Db, post: PostRef, rawCommentId: string, callerId: number): Promise<void> {
  const comment = await findComment(db, parseId(rawCommentId))
  if (comment === undefined || comment.post_id !== post.id) throw notFound()
  if (comment.author_id !== callerId && post.author_id !== callerId) {
    throw new HttpError(403, { detail: 'You can only delete your own comments or comments on your posts.' })
  }
  const removed = await inTransaction(db, async (trx) => {
    if (!(await deleteComment(trx, comment.id, post.id))) return false
    await moveCounters(trx, [
      { table: 'posts', id: post.id, deltas: { comments_count: -1 } },
      { table: 'users', id: post.author_id, deltas: { comments_received: -1 } },
    ])
    return true
  })
  if (!removed) throw notFound()
}
