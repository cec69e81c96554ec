import type { Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// The tables only: their endpoints come with the posts API. `me/stats` already counts these rows.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'
  const timestamp = postgres ? 'timestamptz' : 'text'
  const bigId = postgres ? 'bigint' : 'integer'

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('likes_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('comments_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addColumn('updated_at', timestamp, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('posts_author_time_idx').on('posts').columns(['author_id', 'created_at', 'id']).execute()

  await db.schema
    .createTable('likes')
    .addColumn('id', bigId, (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('post_id', 'integer', (col) => col.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addUniqueConstraint('likes_post_user_unique', ['post_id', 'user_id'])
    .execute()
  await db.schema.createIndex('likes_user_idx').on('likes').column('user_id').execute()

  await db.schema
    .createTable('comments')
    .addColumn('id', bigId, (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('post_id', 'integer', (col) => col.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addColumn('updated_at', timestamp, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('comments_post_time_idx').on('comments').columns(['post_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('comments_author_idx').on('comments').column('author_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comments').execute()
  await db.schema.dropTable('likes').execute()
  await db.schema.dropTable('posts').execute()
}
