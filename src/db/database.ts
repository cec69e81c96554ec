import type { Generated } from 'kysely'

/** Timestamps travel as ISO-8601 UTC strings (`2024-01-15T10:30:00.123Z`) on both dialects. */
type Timestamp = string

export interface UsersTable {
  id: Generated<number>
  username: string
  /** Lower-cased username: the case-insensitive identity, unique. */
  username_key: string
  email: string
  /** Lower-cased email, unique. */
  email_key: string
  password_hash: string
  first_name: Generated<string>
  last_name: Generated<string>
  bio: Generated<string>
  avatar: string | null
  /** Stored as boolean (PostgreSQL) or 0/1 (SQLite). */
  is_active: Generated<boolean | number>
  followers_count: Generated<number>
  following_count: Generated<number>
  posts_count: Generated<number>
  likes_received: Generated<number>
  comments_received: Generated<number>
  /** Moved by triggers whenever the set of users this one follows changes (migration 0009). */
  follows_version: Generated<number>
  /** Moved by triggers whenever the set of this user's followers changes (migration 0009). */
  followers_version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SessionsTable {
  id: string
  user_id: number
  created_at: Timestamp
  last_used_at: Timestamp
  expires_at: Timestamp
  user_agent: string | null
  ip: string | null
}

export interface FollowsTable {
  id: Generated<number>
  follower_id: number
  following_id: number
  created_at: Timestamp
}

export interface PostsTable {
  id: Generated<number>
  author_id: number
  title: string
  content: string
  post_type: Generated<PostType>
  /** The shared original of a share-post; null for a post, and once the original is deleted. */
  original_post_id: number | null
  likes_count: Generated<number>
  comments_count: Generated<number>
  shares_count: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface LikesTable {
  id: Generated<number>
  post_id: number
  user_id: number
  created_at: Timestamp
}

export type PostType = 'post' | 'share'

export interface SharesTable {
  id: Generated<number>
  post_id: number
  user_id: number
  created_at: Timestamp
}

export interface CommentsTable {
  id: Generated<number>
  post_id: number
  author_id: number
  content: string
  created_at: Timestamp
  updated_at: Timestamp
}

/** One row per listed table: its total (active rows), and a generation every change of its searched rows bumps. */
export interface TableTotalsTable {
  name: string
  total: Generated<number>
  inactive: Generated<number>
  generation: Generated<number>
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  follows: FollowsTable
  posts: PostsTable
  likes: LikesTable
  comments: CommentsTable
  shares: SharesTable
  table_totals: TableTotalsTable
}
