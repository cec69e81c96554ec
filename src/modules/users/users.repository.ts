import { sql, type AliasableExpression, type Expression, type ExpressionBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely'
import { dialectOf, type Db } from '../../db/connect.js'
import type { Database, UsersTable } from '../../db/database.js'

export type UserRow = Selectable<UsersTable>

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

export type OrderField = 'username' | 'created_at' | 'first_name' | 'last_name'

export interface UserListQuery {
  search?: string
  firstName?: string
  lastName?: string
  orderBy: OrderField
  descending: boolean
  limit: number
  offset: number
  /** Whose `is_following` to compute; null for an anonymous caller. */
  viewerId: number | null
}

export interface UserSummaryRow {
  id: number
  username: string
  first_name: string
  last_name: string
  avatar: string | null
  is_following: boolean
}

export interface UserStats {
  posts_count: number
  followers_count: number
  following_count: number
  likes_received: number
  comments_received: number
}

type SearchColumn = 'username' | 'first_name' | 'last_name' | 'bio'

/** Usernames and emails are unique and looked up case-insensitively through these keys. */
export function identityKey(value: string): string {
  return value.toLowerCase()
}

export async function createUser(db: Db, user: NewUser, now: string): Promise<UserRow> {
  return db
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
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findActiveUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('is_active', '=', sql.lit(true)).executeTakeFirst()
}

export async function findActiveUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '=', identityKey(username))
    .where('is_active', '=', sql.lit(true))
    .executeTakeFirst()
}

/** The account a login names, by username first, then by email; active or not (the caller decides). */
export async function findUserForLogin(db: Db, identifier: string): Promise<UserRow | undefined> {
  const key = identityKey(identifier)
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .limit(2)
    .execute()
  return rows.find((row) => row.username_key === key) ?? rows[0]
}

export async function takenIdentities(
  db: Db,
  username: string,
  email: string,
): Promise<{ username: boolean; email: boolean }> {
  const usernameKey = identityKey(username)
  const emailKey = identityKey(email)
  const rows = await db
    .selectFrom('users')
    .select(['username_key', 'email_key'])
    .where((eb) => eb.or([eb('username_key', '=', usernameKey), eb('email_key', '=', emailKey)]))
    .execute()
  return {
    username: rows.some((row) => row.username_key === usernameKey),
    email: rows.some((row) => row.email_key === emailKey),
  }
}

export async function emailTakenByAnother(db: Db, email: string, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email_key', '=', identityKey(email))
    .where('id', '<>', userId)
    .executeTakeFirst()
  return row !== undefined
}

export async function updateProfile(db: Db, userId: number, changes: ProfileChanges, now: string): Promise<UserRow> {
  const values: Updateable<UsersTable> = { ...changes, updated_at: now }
  if (changes.email !== undefined) values.email_key = identityKey(changes.email)
  return db.updateTable('users').set(values).where('id', '=', userId).returningAll().executeTakeFirstOrThrow()
}

export async function setUserActive(db: Db, userId: number, active: boolean): Promise<void> {
  await db.updateTable('users').set({ is_active: sql.lit(active) }).where('id', '=', userId).execute()
}

export async function listUsers(db: Db, query: UserListQuery): Promise<{ total: number; users: UserSummaryRow[] }> {
  const filtered = db
    .selectFrom('users')
    .where('users.is_active', '=', sql.lit(true))
    .where((eb) => eb.and(textFilters(db, eb, query)))

  const { total } = await filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  if (query.offset >= Number(total)) return { total: Number(total), users: [] }

  const direction = query.descending ? 'desc' : 'asc'
  const rows = await filtered
    .select(['users.id', 'users.username', 'users.first_name', 'users.last_name', 'users.avatar'])
    .select((eb) => isFollowing(eb, query.viewerId).as('is_following'))
    .orderBy(orderExpression(db, query.orderBy), direction)
    .orderBy('users.id', 'asc')
    .limit(query.limit)
    .offset(query.offset)
    .execute()
  return { total: Number(total), users: rows.map(toSummary) }
}

/** Whether `viewerId` follows the row's `users.id`; one correlated lookup on the follows pair index. */
export function isFollowing(eb: ExpressionBuilder<Database, 'users'>, viewerId: number | null): AliasableExpression<SqlBool> {
  if (viewerId === null) return sql.lit(false)
  return eb.exists(
    eb
      .selectFrom('follows')
      .select(sql.lit(1).as('one'))
      .where('follows.follower_id', '=', viewerId)
      .whereRef('follows.following_id', '=', 'users.id'),
  )
}

export function toSummary(row: Omit<UserSummaryRow, 'is_following'> & { is_following: unknown }): UserSummaryRow {
  return { ...row, is_following: Boolean(row.is_following) }
}

/** The five stored counts: O(1), moved with the rows that change them. */
export async function userStats(db: Db, userId: number): Promise<UserStats | undefined> {
  return db
    .selectFrom('users')
    .where('users.id', '=', userId)
    .select(['posts_count', 'followers_count', 'following_count', 'likes_received', 'comments_received'])
    .executeTakeFirst()
}

function textFilters(db: Db, eb: ExpressionBuilder<Database, 'users'>, query: UserListQuery): Expression<SqlBool>[] {
  const filters: Expression<SqlBool>[] = []
  if (query.search) filters.push(contains(db, eb, ['username', 'first_name', 'last_name', 'bio'], query.search))
  if (query.firstName) filters.push(contains(db, eb, ['first_name'], query.firstName))
  if (query.lastName) filters.push(contains(db, eb, ['last_name'], query.lastName))
  return filters
}

/**
 * Case-insensitive substring match of `term` in any of `columns`, with `%`, `_` and `\` taken literally.
 * SQLite answers from the FTS5 trigram index (terms of 3+ characters; shorter ones scan);
 * PostgreSQL from the pg_trgm GIN indexes behind ILIKE.
 */
function contains(db: Db, eb: ExpressionBuilder<Database, 'users'>, columns: SearchColumn[], term: string): Expression<SqlBool> {
  const postgres = dialectOf(db) === 'postgres'
  if (!postgres && [...term].length >= 3) {
    const phrase = `"${term.replaceAll('"', '""')}"`
    const match = columns.length === 1 ? `${columns[0]} : ${phrase}` : phrase
    return sql<SqlBool>`users.id in (select rowid from users_search where users_search match ${match})`
  }
  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  const operator = postgres ? sql`ilike` : sql`like`
  return eb.or(columns.map((column) => sql<SqlBool>`${sql.ref(`users.${column}`)} ${operator} ${pattern} escape '\\'`))
}

function orderExpression(db: Db, field: OrderField): Expression<unknown> {
  if (field === 'username') return sql.ref('users.username_key')
  if (field === 'created_at') return sql.ref('users.created_at')
  // Names sort case-insensitively, in code-point order on both dialects (not by the server's locale).
  return dialectOf(db) === 'postgres'
    ? sql`lower(${sql.ref(`users.${field}`)}) collate "C"`
    : sql`lower(${sql.ref(`users.${field}`)})`
}
