import { Type } from '@sinclair/typebox'
import { Timestamp } from '../../lib/schemas.js'
import { UserSummary } from '../users/index.js'

export const FollowBody = Type.Object({ following: Type.Integer({ description: 'The id of the user to follow' }) })

export const Follow = Type.Object({
  id: Type.Integer(),
  follower: Type.Integer(),
  following: Type.Integer(),
  follower_username: Type.String(),
  following_username: Type.String(),
  created_at: Timestamp,
})

export const PagingQuery = Type.Object({
  batch_size: Type.Optional(Type.String({ description: 'Default 100; above 1000 is clamped to 1000' })),
  batch_number: Type.Optional(Type.String({ description: 'From 0' })),
})

export const FollowList = Type.Object({ count: Type.Integer(), results: Type.Array(Follow) })
export const UserSummaryList = Type.Object({ count: Type.Integer(), results: Type.Array(UserSummary) })
