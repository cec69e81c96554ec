import { FieldErrorCollector } from '../../errors.js'
import { readBatch, type Batch } from '../../lib/paging.js'
import { ORDERINGS, type PostOrderField } from './posts.schemas.js'

const LIMITS = { defaultSize: 10, maxSize: 100 }
export const MAX_USERNAMES = 100

export function readPage(query: Record<string, unknown>): Batch {
  const errors = new FieldErrorCollector()
  const batch = readBatch(query, LIMITS, errors)
  errors.throwIfAny()
  return batch
}

export function readPostsQuery(query: { ordering?: string; username?: string } & Record<string, unknown>): {
  batch: Batch
  orderBy: PostOrderField
  descending: boolean
  usernameKeys?: string[]
} {
  const errors = new FieldErrorCollector()
  const batch = readBatch(query, LIMITS, errors)
  const ordering = query.ordering ?? '-created_datetime'
  const descending = ordering.startsWith('-')
  const field = descending ? ordering.slice(1) : ordering
  if (!(ORDERINGS as readonly string[]).includes(field)) {
    errors.add('ordering', `Select a valid ordering: ${ORDERINGS.join(', ')}, optionally prefixed with "-".`)
  }
  let usernameKeys: string[] | undefined
  if (query.username !== undefined && query.username !== '') {
    const names = [
      ...new Set(
        query.username
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== ''),
      ),
    ]
    if (names.length > MAX_USERNAMES) errors.add('username', `Ensure there are no more than ${MAX_USERNAMES} usernames.`)
    usernameKeys = names
  }
  errors.throwIfAny()
  return { batch, orderBy: field as PostOrderField, descending, usernameKeys }
}

/** The contract's list envelope for `things` (posts, likes, comments, shares). */
export function envelope<T>(
  message: string,
  things: string,
  items: readonly T[],
  total: number,
  batch: Batch,
): Record<string, unknown> {
  return {
    message,
    [things]: items,
    batch_info: {
      current_batch: batch.number,
      batch_size: batch.size,
      [`total_${things}`]: total,
      total_batches: Math.ceil(total / batch.size),
      [`${things}_in_current_batch`]: items.length,
    },
  }
}
