import { Type } from '@sinclair/typebox'
import { documentedAs, integerQuery, NullableUrl, Timestamp } from '../../lib/schemas.js'
import { refined } from '../../lib/validation.js'
import { checkProfileFields } from './users.validation.js'

const NAME_MAX = 150
const BIO_MAX = 1000
const AVATAR_MAX = 500

export const FirstName = Type.String({ maxLength: NAME_MAX, examples: ['Alice'] })
export const LastName = Type.String({ maxLength: NAME_MAX, examples: ['Smith'] })
export const Bio = Type.String({ maxLength: BIO_MAX, examples: ['Software developer'] })
export const Email = Type.String({ minLength: 1, maxLength: 254, examples: ['alice@example.com'] })
/** `null` or `""` clears it. */
export const Avatar = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  maxLength: AVATAR_MAX,
  description: 'An absolute http or https URL',
  examples: ['https://example.com/avatar.jpg'],
})

export const UserSummary = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar: NullableUrl,
    is_following: Type.Boolean(),
  },
  { $id: 'UserSummary' },
)

/** Every field a user row shows anyone; each endpoint's shape picks its keys, in the seed's order. */
export const OwnProfile = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    bio: Type.String(),
    avatar: NullableUrl,
    created_at: Timestamp,
    updated_at: Timestamp,
    posts_count: Type.Integer(),
    followers_count: Type.Integer(),
    following_count: Type.Integer(),
  },
  { $id: 'MyProfile' },
)

export const PublicProfile = Type.Omit(OwnProfile, ['email', 'updated_at'], { $id: 'Profile' })

export const UpdatedProfile = Type.Pick(
  OwnProfile,
  ['id', 'username', 'email', 'first_name', 'last_name', 'bio', 'avatar', 'updated_at'],
  {
    $id: 'UpdatedProfile',
  },
)

export const UpdateProfileBody = refined(
  Type.Object(
    {
      first_name: Type.Optional(FirstName),
      last_name: Type.Optional(LastName),
      bio: Type.Optional(Bio),
      avatar: Type.Optional(Avatar),
      email: Type.Optional(Email),
    },
    {
      additionalProperties: false,
      description: 'Any subset; any other key is refused with 400 and nothing changes',
      examples: [{ bio: 'Updated bio', avatar: 'https://example.com/new-avatar.jpg' }],
    },
  ),
  checkProfileFields,
)

export const ORDERINGS = ['username', 'created_at', 'first_name', 'last_name'] as const

export const UsersListQuery = Type.Object({
  search: Type.Optional(Type.String({ description: 'Case-insensitive substring of username, first_name, last_name or bio' })),
  first_name: Type.Optional(Type.String({ description: 'Case-insensitive substring filter' })),
  last_name: Type.Optional(Type.String({ description: 'Case-insensitive substring filter' })),
  ordering: Type.Optional(
    documentedAs(Type.String({ description: `${ORDERINGS.join(', ')}; prefix - for descending`, default: 'username' }), {
      enum: ORDERINGS.flatMap((field) => [field, `-${field}`]),
      examples: ['-created_at'],
    }),
  ),
  batch_size: Type.Optional(integerQuery({ minimum: 1, default: 10, description: 'Default 10; above 100 is clamped to 100' })),
  batch_number: Type.Optional(integerQuery({ minimum: 0, default: 0, description: 'From 0; past the last batch → empty list' })),
})

export const UsersListResponse = Type.Object(
  {
    message: Type.String(),
    users: Type.Array(UserSummary),
    batch_info: Type.Object(
      {
        current_batch: Type.Integer(),
        batch_size: Type.Integer(),
        total_users: Type.Integer(),
        total_batches: Type.Integer(),
        users_in_current_batch: Type.Integer(),
      },
      { $id: 'BatchInfo' },
    ),
  },
  { $id: 'UserList' },
)

export const Stats = Type.Object(
  {
    posts_count: Type.Integer(),
    followers_count: Type.Integer(),
    following_count: Type.Integer(),
    likes_received: Type.Integer(),
    comments_received: Type.Integer(),
  },
  { $id: 'Stats' },
)
