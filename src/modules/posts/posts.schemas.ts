import { Type, type TSchema } from '@sinclair/typebox'
import type { FieldErrorCollector } from '../../errors.js'
import { Timestamp } from '../../lib/schemas.js'
import { refined } from '../../lib/validation.js'

export const TITLE_MAX = 200
export const CONTENT_MAX = 5000
export const COMMENT_MAX = 1000

export const ORDERINGS = ['created_datetime', 'likes_count', 'comments_count'] as const
export type PostOrderField = (typeof ORDERINGS)[number]

export const PostParams = Type.Object({ id: Type.String({ description: 'The post id, a positive integer' }) })
export const CommentParams = Type.Object({
  id: Type.String({ description: 'The post id, a positive integer' }),
  comment_id: Type.String({ description: 'The comment id, a positive integer' }),
})

export const Post = Type.Object({
  id: Type.Integer(),
  username: Type.String({ description: "The author's username" }),
  title: Type.String(),
  content: Type.String(),
  created_datetime: Timestamp,
  post_type: Type.Union([Type.Literal('post'), Type.Literal('share')]),
  original_post: Type.Unsafe<number | null>({ type: ['integer', 'null'], description: 'The shared original; null for a post' }),
  likes_count: Type.Integer(),
  comments_count: Type.Integer(),
  shares_count: Type.Integer(),
  is_liked: Type.Boolean({ description: 'Whether the caller likes it; false for anonymous callers' }),
})

/** A like or a share. */
export const Reaction = Type.Object({
  id: Type.Integer(),
  post: Type.Integer(),
  user: Type.Integer(),
  username: Type.String(),
  created_datetime: Timestamp,
})

export const Comment = Type.Object({
  id: Type.Integer(),
  post: Type.Integer(),
  user: Type.Integer(),
  username: Type.String(),
  content: Type.String(),
  created_datetime: Timestamp,
})

/** Trims the listed text fields in place; blank or too long → DRF's messages on that field. */
function trimmedText(limits: Record<string, number>): (data: Record<string, unknown>, errors: FieldErrorCollector) => void {
  return (data, errors) => {
    for (const [field, max] of Object.entries(limits)) {
      const value = data[field]
      if (typeof value !== 'string' || errors.has(field)) continue
      const trimmed = value.trim()
      data[field] = trimmed
      if (trimmed === '') errors.add(field, 'This field may not be blank.')
      else if ([...trimmed].length > max) errors.add(field, `Ensure this field has no more than ${max} characters.`)
    }
  }
}

const Title = Type.String({ description: `1–${TITLE_MAX} characters, trimmed`, examples: ['Hiring: backend engineer'] })
const Content = Type.String({ description: `1–${CONTENT_MAX} characters, trimmed`, examples: ['We are looking for…'] })

export const CreatePostBody = refined(
  Type.Object(
    {
      title: Title,
      content: Content,
      username: Type.Optional(Type.String({ description: "If sent, must be the caller's username (any case)" })),
    },
    { description: 'Other keys are ignored' },
  ),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const SharePostBody = refined(
  Type.Object({ title: Title, content: Content }, { description: 'Other keys are ignored' }),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const UpdatePostBody = refined(
  Type.Object(
    { title: Type.Optional(Title), content: Type.Optional(Content) },
    { additionalProperties: false, description: 'Any subset; any other key is refused with 400 and nothing changes' },
  ),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const CommentBody = refined(
  Type.Object(
    { content: Type.String({ description: `1–${COMMENT_MAX} characters, trimmed`, examples: ['Congratulations!'] }) },
    { description: 'Other keys are ignored' },
  ),
  trimmedText({ content: COMMENT_MAX }),
)

const batchQuery = {
  batch_size: Type.Optional(Type.String({ description: 'Default 10; above 100 is clamped to 100' })),
  batch_number: Type.Optional(Type.String({ description: 'From 0' })),
}

export const BatchQuery = Type.Object(batchQuery)

export const PostsListQuery = Type.Object({
  username: Type.Optional(Type.String({ description: 'One author, or up to 100 separated by commas; case-insensitive' })),
  search: Type.Optional(Type.String({ description: 'Case-insensitive substring of title or content' })),
  ordering: Type.Optional(
    Type.String({ description: `${ORDERINGS.join(', ')}; prefix - for descending`, default: '-created_datetime' }),
  ),
  ...batchQuery,
})

/** `{message, <things>: [...], batch_info: {current_batch, batch_size, total_<things>, total_batches, <things>_in_current_batch}}` */
export function listResponse<T extends TSchema>(things: string, item: T): TSchema {
  return Type.Object({
    message: Type.String(),
    [things]: Type.Array(item),
    batch_info: Type.Object({
      current_batch: Type.Integer(),
      batch_size: Type.Integer(),
      [`total_${things}`]: Type.Integer(),
      total_batches: Type.Integer(),
      [`${things}_in_current_batch`]: Type.Integer(),
    }),
  })
}

export const PostsList = listResponse('posts', Post)
export const LikesList = listResponse('likes', Reaction)
export const SharesList = listResponse('shares', Reaction)
export const CommentsList = listResponse('comments', Comment)

export const NoContent = Type.Null({ description: 'No body' })
