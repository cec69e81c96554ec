import { Type, type TSchema, type TString } from '@sinclair/typebox'
import type { FieldErrorCollector } from '../../errors.js'
import { documentedAs, integerQuery, Timestamp } from '../../lib/schemas.js'
import { refined } from '../../lib/validation.js'

export const TITLE_MAX = 200
export const CONTENT_MAX = 5000
export const COMMENT_MAX = 1000

export const ORDERINGS = ['created_datetime', 'likes_count', 'comments_count'] as const
export type PostOrderField = (typeof ORDERINGS)[number]

// Path ids stay strings at runtime (anything but a positive integer answers 404, not 400).
const Id = (description: string): TString =>
  documentedAs(Type.String({ description }), { type: 'integer', minimum: 1, maximum: 2147483647, examples: [1] })

export const PostParams = Type.Object({ id: Id('The post id, a positive integer') })
export const CommentParams = Type.Object({
  id: Id('The post id, a positive integer'),
  comment_id: Id('The comment id, a positive integer'),
})

export const Post = Type.Object(
  {
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
  },
  { $id: 'Post' },
)

/** A like or a share: the same keys, named apart in the document. */
const reaction = (name: 'Like' | 'Share') =>
  Type.Object(
    { id: Type.Integer(), post: Type.Integer(), user: Type.Integer(), username: Type.String(), created_datetime: Timestamp },
    { $id: name },
  )
export const Like = reaction('Like')
export const Share = reaction('Share')

export const Comment = Type.Object(
  {
    id: Type.Integer(),
    post: Type.Integer(),
    user: Type.Integer(),
    username: Type.String(),
    content: Type.String(),
    created_datetime: Timestamp,
  },
  { $id: 'Comment' },
)

// The characters Python's str.strip() removes (DRF trims with it): JavaScript's trim() differs on U+001C–U+001F,
// U+0085 (stripped by Python only) and U+FEFF (by JavaScript only). Scanned from both ends, not by a regular
// expression: `\s+$` is quadratic on a long run of inner whitespace.
const STRIPPED = new Set(
  '\t\n\v\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000',
)

function strip(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && STRIPPED.has(value[start]!)) start++
  while (end > start && STRIPPED.has(value[end - 1]!)) end--
  return value.slice(start, end)
}

/** Trims the listed text fields in place; blank or too long → DRF's messages on that field. */
function trimmedText(limits: Record<string, number>): (data: Record<string, unknown>, errors: FieldErrorCollector) => void {
  return (data, errors) => {
    for (const [field, max] of Object.entries(limits)) {
      const value = data[field]
      if (typeof value !== 'string' || errors.has(field)) continue
      const trimmed = strip(value)
      data[field] = trimmed
      if (trimmed === '') errors.add(field, 'This field may not be blank.')
      else if ([...trimmed].length > max) errors.add(field, `Ensure this field has no more than ${max} characters.`)
    }
  }
}

// Lengths are checked after trimming (DRF's messages); the document shows them as maxLength.
const Title = documentedAs(Type.String({ description: `1–${TITLE_MAX} characters, trimmed`, examples: ['Hiring'] }), {
  minLength: 1,
  maxLength: TITLE_MAX,
})
const Content = documentedAs(
  Type.String({ description: `1–${CONTENT_MAX} characters, trimmed`, examples: ['Backend engineer'] }),
  {
    minLength: 1,
    maxLength: CONTENT_MAX,
  },
)
const POST_EXAMPLE = { title: 'Hiring', content: 'Backend engineer' }

export const CreatePostBody = refined(
  Type.Object(
    {
      title: Title,
      content: Content,
      username: Type.Optional(
        documentedAs(Type.String({ description: "If sent, must be the caller's username (any case)" }), { maxLength: 150 }),
      ),
    },
    { description: 'Other keys are ignored', examples: [POST_EXAMPLE] },
  ),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const SharePostBody = refined(
  Type.Object(
    { title: Title, content: Content },
    { description: 'Other keys are ignored', examples: [{ title: 'Worth a read', content: 'Great team' }] },
  ),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const UpdatePostBody = refined(
  Type.Object(
    { title: Type.Optional(Title), content: Type.Optional(Content) },
    {
      additionalProperties: false,
      description: 'Any subset; any other key is refused with 400 and nothing changes',
      examples: [{ title: 'Hiring now' }],
    },
  ),
  trimmedText({ title: TITLE_MAX, content: CONTENT_MAX }),
)

export const CommentBody = refined(
  Type.Object(
    {
      content: documentedAs(
        Type.String({ description: `1–${COMMENT_MAX} characters, trimmed`, examples: ['Congratulations!'] }),
        {
          minLength: 1,
          maxLength: COMMENT_MAX,
        },
      ),
    },
    { description: 'Other keys are ignored', examples: [{ content: 'Congratulations!' }] },
  ),
  trimmedText({ content: COMMENT_MAX }),
)

const batchQuery = {
  batch_size: Type.Optional(integerQuery({ minimum: 1, default: 10, description: 'Default 10; above 100 is clamped to 100' })),
  batch_number: Type.Optional(integerQuery({ minimum: 0, default: 0, description: 'From 0; past the last batch → empty list' })),
}

export const BatchQuery = Type.Object(batchQuery)

export const PostsListQuery = Type.Object({
  username: Type.Optional(
    Type.String({ description: 'One author, or up to 100 separated by commas; case-insensitive', examples: ['alice,bob'] }),
  ),
  search: Type.Optional(Type.String({ description: 'Case-insensitive substring of title or content' })),
  ordering: Type.Optional(
    documentedAs(Type.String({ description: `${ORDERINGS.join(', ')}; prefix - for descending`, default: '-created_datetime' }), {
      enum: ORDERINGS.flatMap((field) => [field, `-${field}`]),
      examples: ['-likes_count'],
    }),
  ),
  ...batchQuery,
})

/** `{message, <things>: [...], batch_info: {current_batch, batch_size, total_<things>, total_batches, <things>_in_current_batch}}` */
function listResponse(things: string, item: TSchema, name: string): TSchema {
  return Type.Object(
    {
      message: Type.String(),
      [things]: Type.Array(item),
      batch_info: Type.Object(
        {
          current_batch: Type.Integer(),
          batch_size: Type.Integer(),
          [`total_${things}`]: Type.Integer(),
          total_batches: Type.Integer(),
          [`${things}_in_current_batch`]: Type.Integer(),
        },
        { $id: `${name}BatchInfo` },
      ),
    },
    { $id: `${name}List` },
  )
}

export const PostsList = listResponse('posts', Post, 'Post')
export const LikesList = listResponse('likes', Like, 'Like')
export const SharesList = listResponse('shares', Share, 'Share')
export const CommentsList = listResponse('comments', Comment, 'Comment')

export const NoContent = Type.Null({ description: 'No body' })
