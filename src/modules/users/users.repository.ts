import { sql, type Updateable } from 'kysely'
import type { Db } from '../../db/connect.js'
import { preparedFirst } from '../../db/prepared.js'
import type { UsersTable } from '../../db/database.js'
import type { Trx } from '../../db/transaction.js'
import type { Caller } from '../../plugins/auth.js'

/** Every column a profile shows (the owner sees all of them): never the hash, the keys or `is_active`. */
export const PROFILE_COLUMNS = [
  'users.id',
  'users.username',
  'users.email',
  'users.first_name',
  'users.last_name',
  'users.bio',
  'users.avatar',
  'users.created_at',
  'users.updated_at',
  'users.posts_count',
  'users.followers_count',
  'users.following_count',
] as const

export type Profile = Caller

/** A profile plus what a login checks; the only read of `password_hash`. */
export interface Credentials extends Profile {
  username_key: string
  password_hash: string
  is_active: boolean | number
}

export interface NewUser {
  username: string
  email: string
  passwordHash: string
  firstName: string
  lastName: string
  bio: string
  avatar: string | null
}

export interface ProfileChanges {
  first_name?: string
  last_name?: string
  bio?: string
  avatar?: string | null
  email?: string
}

export interface UserStats {
  posts_count: number
  followers_count: number
  following_count: number
  likes_received: number
  comments_received: number
}

/** Usernames and emails are unique and looked up case-insensitively through these keys. */
function identityKey(value: string): string {
  return value.toLowerCase()
}

export async function createUser(trx: Trx, user: NewUser, now: string): Promise<Profile> {
  return trx
    .insertInto('users')
    .values({
      username: user.username,
      username_key: identityKey(user.username),
      email: user.email,
      email_key: identityKey(user.email),
      password_hash: user.passwordHash,
      first_name: user.firstName,
      last_name: user.lastName,
      bio: user.bio,
      avatar: user.avatar,
      created_at: now,
      updated_at: now,
    })
    .returning(PROFILE_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** An active user's id and username (what a relationship to them needs). */
export async function findActiveUserName(db: Db, id: number): Promise<{ id: number; username: string } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('id', '=', id)
    .where('is_active', '=', sql.lit(true))
    .executeTakeFirst()
}

// Shared: profiles are only ever read and serialized.
const activeUserByKey = preparedFirst(
  (db: Db, key: string) =>
    db.selectFrom('users').select(PROFILE_COLUMNS).where('username_key', '=', key).where('is_active', '=', sql.lit(true)),
  { shared: true },
)

export async function findActiveUserByUsername(db: Db, username: string): Promise<Profile | undefined> {
  return activeUserByKey(db, identityKey(username))
}

/** The account a login names, by username first, then by email; active or not (the caller decides). */
export async function findCredentials(db: Db, identifier: string): Promise<Credentials | undefined> {
  const key = identityKey(identifier)
  const rows = await db
    .selectFrom('users')
    .select([...PROFILE_COLUMNS, 'users.username_key', 'users.password_hash', 'users.is_active'])
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .limit(2)
    .execute()
  return rows.find((row) => row.username_key === key) ?? rows[0]
}

/** Replaces a password's hash by a new hash of the same password, unless the password changed meanwhile. */
export async function replacePasswordHash(db: Db, userId: number, oldHash: string, newHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: newHash })
    .where('id', '=', userId)
    .where('password_hash', '=', oldHash)
    .execute()
}

/**
 * Whether another account holds the username or the email. A login names an account by either, so a username
 * is also taken by another account's email and an email by another account's username (else `x@example.com` as
 * one user's name would shadow it as another's email at login).
 */
export async function takenIdentities(db: Db, username: string, email: string): Promise<{ username: boolean; email: boolean }> {
  const usernameKey = identityKey(username)
  const emailKey = identityKey(email)
  const keys = [...new Set([usernameKey, emailKey])]
  const rows = await db
    .selectFrom('users')
    .select(['username_key', 'email_key'])
    .where((eb) => eb.or([eb('username_key', 'in', keys), eb('email_key', 'in', keys)]))
    .execute()
  return {
    username: rows.some((row) => row.username_key === usernameKey || row.email_key === usernameKey),
    email: rows.some((row) => row.email_key === emailKey || row.username_key === emailKey),
  }
}

/** Whether another account has this email, or has it as its username (see takenIdentities). */
export async function emailTakenByAnother(db: Db, email: string, userId: number): Promise<boolean> {
  const key = identityKey(email)
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('email_key', '=', key), eb('username_key', '=', key)]))
    .where('id', '<>', userId)
    .executeTakeFirst()
  return row !== undefined
}

/** The updated profile; undefined when the user is gone. */
export async function updateProfile(db: Db, userId: number, changes: ProfileChanges, now: string): Promise<Profile | undefined> {
  const values: Updateable<UsersTable> = { ...changes, updated_at: now }
  if (changes.email !== undefined) values.email_key = identityKey(changes.email)
  return db.updateTable('users').set(values).where('id', '=', userId).returning(PROFILE_COLUMNS).executeTakeFirst()
}

/** The five stored counts: O(1), moved with the rows that change them. */
export async function userStats(db: Db, userId: number): Promise<UserStats | undefined> {
  return db
    .selectFrom('users')
    .where('users.id', '=', userId)
    .select(['posts_count', 'followers_count', 'following_count', 'likes_received', 'comments_received'])
    .executeTakeFirst()
}
