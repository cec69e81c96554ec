import { Type } from '@sinclair/typebox'
import { integerQuery, Timestamp, usernameParams } from '../../lib/schemas.js'
import { UserSummary } from '../users/index.js'

export const FollowBody = Type.Object(
  { following: Type.Integer({ description: 'The id of the user to follow', minimum: 1, maximum: 2147483647 }) },
  { examples: [{ following: 2 }] },
)

// The user the follow example (`{"following": 2}`, the second account) made the caller follow.
export const UnfollowParams = usernameParams('bob')

export const Follow = Type.Object(
  {
    id: Type.Integer(),
    follower: Type.Integer(),
    following: Type.Integer(),
    follower_username: Type.String(),
    following_username: Type.String(),
    created_at: Timestamp,
  },
  { $id: 'Follow' },
)

export const PagingQuery = Type.Object({
  batch_size: Type.Optional(
    integerQuery({ minimum: 1, default: 100, description: 'Default 100; above 1000 is clamped to 1000' }),
  ),
  batch_number: Type.Optional(integerQuery({ minimum: 0, default: 0, description: 'From 0' })),
})

export const FollowList = Type.Object({ count: Type.Integer(), results: Type.Array(Follow) }, { $id: 'FollowList' })
export const UserSummaryList = Type.Object(
  { count: Type.Integer(), results: Type.Array(UserSummary) },
  { $id: 'UserSummaryList' },
)
