import type { Db } from '../../db/connect.js'
import { foreignKeyViolation, inTransaction, moveCounters, type Trx } from '../../db/transaction.js'
import { badRequest, HttpError, notFound } from '../../errors.js'
import {
  deletePostRow,
  findPostRef,
  findPostView,
  insertPost,
  updatePost,
  type PostRef,
  type PostView,
} from './posts.repository.js'
import { deleteRowsOf, deletePostsOf, lockUser } from './content.repository.js'

const MAX_ID = 2 ** 31 - 1

/** A `{id}` path segment as a post or comment id; anything but a positive 32-bit integer names nothing (404). */
export function parseId(raw: string): number {
  if (!/^\d{1,10}$/.test(raw)) throw notFound()
  const id = Number(raw)
  if (id < 1 || id > MAX_ID) throw notFound()
  return id
}

export async function requirePost(db: Db, rawId: string): Promise<PostRef> {
  const post = await findPostRef(db, parseId(rawId))
  if (post === undefined) throw notFound()
  return post
}

/** The post a `{id}` path segment names, as `viewerId` sees it (404 when there is none). */
export async function postFromPath(db: Db, rawId: string, viewerId: number | null): Promise<PostView> {
  return postView(db, parseId(rawId), viewerId)
}

export async function postView(db: Db, id: number, viewerId: number | null): Promise<PostView> {
  const view = await findPostView(db, id, viewerId)
  if (view === undefined) throw notFound()
  return view
}

/** Runs `work`; a foreign key broken meanwhile (the post was deleted concurrently) → 404. */
export async function onLivePost<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, work)
  } catch (error) {
    if (foreignKeyViolation(error)) throw notFound()
    throw error
  }
}

export async function createPost(
  db: Db,
  authorId: number,
  fields: { title: string; content: string },
  original: PostRef | null = null,
): Promise<PostView> {
  // A share-post points at the root original, never at another share-post.
  let originalPostId: number | null = null
  if (original !== null) {
    originalPostId = original.post_type === 'share' ? original.original_post_id : original.id
    if (originalPostId === null) throw badRequest('The original post of this share no longer exists.')
  }
  const id = await onLivePost(db, async (trx) => {
    const postId = await insertPost(
      trx,
      { authorId, title: fields.title, content: fields.content, postType: original ? 'share' : 'post', originalPostId },
      new Date().toISOString(),
    )
    await moveCounters(trx, [{ table: 'users', id: authorId, deltas: { posts_count: 1 } }])
    return postId
  })
  return postView(db, id, authorId)
}

/** 403 unless the caller wrote the post. */
export function assertEditor(post: PostRef, callerId: number): void {
  if (post.author_id !== callerId) throw new HttpError(403, { detail: 'You can only edit your own posts.' })
}

export async function editPost(
  db: Db,
  post: PostRef,
  callerId: number,
  changes: { title?: string; content?: string },
): Promise<PostView> {
  assertEditor(post, callerId)
  if (changes.title !== undefined || changes.content !== undefined) {
    await updatePost(db, post.id, changes, new Date().toISOString())
  }
  return postView(db, post.id, callerId)
}

export async function removePost(db: Db, post: PostRef, callerId: number): Promise<void> {
  if (post.author_id !== callerId) throw new HttpError(403, { detail: 'You can only delete your own posts.' })
  const removed = await inTransaction(db, async (trx) => {
    // The delete locks the post: likes and comments still in flight either committed (and are counted in
    // the row it returns) or fail their foreign key afterwards.
    const row = await deletePostRow(trx, post.id)
    if (row === undefined) return false
    await moveCounters(trx, [
      {
        table: 'users',
        id: row.author_id,
        deltas: { posts_count: -1, likes_received: -row.likes_count, comments_received: -row.comments_count },
      },
    ])
    return true
  })
  if (!removed) throw notFound()
}

/**
 * For account deletion, inside the caller's transaction (before the user row goes): removes the user's
 * posts (with their likes, comments and shares) and the user's likes, comments and shares on other posts,
 * moving every affected counter. Share-posts of the user's posts stay, with `original_post` null.
 */
export async function deleteUserContent(trx: Trx, userId: number): Promise<void> {
  await lockUser(trx, userId)
  const own = await deletePostsOf(trx, userId)
  const likes = await deleteRowsOf(trx, 'likes', userId)
  const comments = await deleteRowsOf(trx, 'comments', userId)
  const shares = await deleteRowsOf(trx, 'shares', userId)
  await moveCounters(trx, [
    {
      table: 'users',
      id: userId,
      deltas: { posts_count: -own.posts, likes_received: -own.likes, comments_received: -own.comments },
    },
    ...likes.flatMap(({ postId, authorId, removed }) => [
      { table: 'posts' as const, id: postId, deltas: { likes_count: -removed } },
      { table: 'users' as const, id: authorId, deltas: { likes_received: -removed } },
    ]),
    ...comments.flatMap(({ postId, authorId, removed }) => [
      { table: 'posts' as const, id: postId, deltas: { comments_count: -removed } },
      { table: 'users' as const, id: authorId, deltas: { comments_received: -removed } },
    ]),
    ...shares.map(({ postId, removed }) => ({ table: 'posts' as const, id: postId, deltas: { shares_count: -removed } })),
  ])
}
