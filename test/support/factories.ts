import { sql, type Insertable } from 'kysely'
import type { Db } from '../../src/db/connect.js'
import type { UsersTable } from '../../src/db/database.js'
import { hashPassword } from '../../src/modules/auth/index.js'
import { PASSWORD } from './app.js'
import { uniqueName } from './accounts.js'

// Factories write rows straight into the tables (no HTTP, no argon2 per user): for suites that need many
// users or follows. Every user gets the same argon2id hash of PASSWORD, computed once per process, so a
// factory user can log in through HTTP (`login(app, user)` in accounts.ts).

let passwordHash: Promise<string> | undefined

/** The argon2id hash of `password123`, as the app makes it, computed once per process. */
export function passwordHashOnce(): Promise<string> {
  passwordHash ??= hashPassword(PASSWORD)
  return passwordHash
}

export interface UserSpec {
  username?: string
  email?: string
  first_name?: string
  last_name?: string
  bio?: string
  avatar?: string | null
  active?: boolean
  created_at?: string
}

export interface FactoryUser {
  id: number
  username: string
  email: string
}

const CHUNK = 250

/** Inserts users (in chunks); returns them in the order given, with their ids. */
export async function createUsers(db: Db, specs: UserSpec[]): Promise<FactoryUser[]> {
  const password_hash = await passwordHashOnce()
  const now = new Date().toISOString()
  const rows = specs.map((spec) => {
    const username = spec.username ?? uniqueName('f')
    const email = spec.email ?? `${username}@example.com`
    return {
      username,
      username_key: username.toLowerCase(),
      email,
      email_key: email.toLowerCase(),
      password_hash,
      first_name: spec.first_name ?? '',
      last_name: spec.last_name ?? '',
      bio: spec.bio ?? '',
      avatar: spec.avatar ?? null,
      is_active: sql.lit(spec.active ?? true),
      created_at: spec.created_at ?? now,
      updated_at: spec.created_at ?? now,
    }
  })
  const users: FactoryUser[] = []
  for (let start = 0; start < rows.length; start += CHUNK) {
    const inserted = await db
      .insertInto('users')
      .values(rows.slice(start, start + CHUNK))
      .returning(['id', 'username', 'email'])
      .execute()
    users.push(...inserted.map((row) => ({ id: Number(row.id), username: row.username, email: row.email })))
  }
  return users
}

/** n users with default fields (unique usernames starting with `prefix`). */
export function createManyUsers(db: Db, n: number, prefix = uniqueName('bulk')): Promise<FactoryUser[]> {
  return createUsers(
    db,
    Array.from({ length: n }, (_, i) => ({ username: `${prefix}n${i}` })),
  )
}

export interface FollowSpec {
  follower: number
  following: number
  /** Defaults to now; give increasing times to fix the "newest first" order. */
  created_at?: string
}

/** Inserts follow rows, then recomputes both counters of every user involved from the rows (as the service keeps them). */
export async function createFollows(db: Db, follows: FollowSpec[]): Promise<void> {
  if (follows.length === 0) return
  const now = new Date().toISOString()
  const rows = follows.map((f) => ({ follower_id: f.follower, following_id: f.following, created_at: f.created_at ?? now }))
  for (let start = 0; start < rows.length; start += CHUNK * 2) {
    await db
      .insertInto('follows')
      .values(rows.slice(start, start + CHUNK * 2))
      .execute()
  }
  const ids = [...new Set(follows.flatMap((f) => [f.follower, f.following]))]
  for (let start = 0; start < ids.length; start += CHUNK) {
    await db
      .updateTable('users')
      .set({
        followers_count: sql`(select count(*) from follows where follows.following_id = users.id)`,
        following_count: sql`(select count(*) from follows where follows.follower_id = users.id)`,
      })
      .where('id', 'in', ids.slice(start, start + CHUNK))
      .execute()
  }
}

/** Deactivates (or reactivates) an account, as an administrator would. */
export async function setActive(db: Db, userId: number, active: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ is_active: sql.lit(active) })
    .where('id', '=', userId)
    .execute()
}

/** One users row as the database stores it, for tests that insert through Kysely below the app. */
export function userRow(name: string): Insertable<UsersTable> {
  const now = new Date().toISOString()
  return {
    username: name,
    username_key: name,
    email: `${name}@example.com`,
    email_key: `${name}@example.com`,
    password_hash: 'x',
    created_at: now,
    updated_at: now,
  }
}
