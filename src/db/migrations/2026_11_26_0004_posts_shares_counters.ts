import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'
import * as m0003 from './2026_11_26_0003_posts_likes_comments.js'

// The 0003 tables never held data: they are recreated with the posts API's full shape.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'
  const timestamp = postgres ? 'timestamptz' : 'text'
  const bigId = postgres ? 'bigint' : 'integer'

  await db.schema.dropTable('comments').execute()
  await db.schema.dropTable('likes').execute()
  await db.schema.dropTable('posts').execute()

  await db.schema
    .alterTable('users')
    .addColumn('likes_received', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('users')
    .addColumn('comments_received', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('post_type', 'varchar(5)', (col) => col.notNull().defaultTo('post'))
    .addColumn('original_post_id', 'integer', (col) => col.references('posts.id').onDelete('set null'))
    .addColumn('likes_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('comments_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('shares_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addColumn('updated_at', timestamp, (col) => col.notNull())
    .addCheckConstraint('posts_post_type_check', sql`post_type in ('post', 'share')`)
    .execute()
  await db.schema.createIndex('posts_author_time_idx').on('posts').columns(['author_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('posts_time_idx').on('posts').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('posts_likes_idx').on('posts').columns(['likes_count', 'id']).execute()
  await db.schema.createIndex('posts_comments_idx').on('posts').columns(['comments_count', 'id']).execute()
  await db.schema.createIndex('posts_original_idx').on('posts').column('original_post_id').execute()

  for (const table of ['likes', 'shares'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', bigId, (col) =>
        postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
      )
      .addColumn('post_id', 'integer', (col) => col.notNull().references('posts.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', timestamp, (col) => col.notNull())
      .addUniqueConstraint(`${table}_post_user_unique`, ['post_id', 'user_id'])
      .execute()
    await db.schema.createIndex(`${table}_post_time_idx`).on(table).columns(['post_id', 'created_at', 'id']).execute()
    await db.schema.createIndex(`${table}_user_idx`).on(table).column('user_id').execute()
  }

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

  // Substring search over title and content through a trigram index on each dialect (as for users).
  if (postgres) {
    await sql`create extension if not exists pg_trgm`.execute(db)
    for (const column of ['title', 'content']) {
      await sql`create index ${sql.id(`posts_${column}_trgm_idx`)} on posts using gin (${sql.ref(column)} gin_trgm_ops)`.execute(
        db,
      )
    }
  } else {
    await sql`create virtual table posts_search using fts5(
      title, content, content='posts', content_rowid='id', tokenize='trigram')`.execute(db)
    await sql`create trigger posts_search_insert after insert on posts begin
      insert into posts_search(rowid, title, content) values (new.id, new.title, new.content);
    end`.execute(db)
    await sql`create trigger posts_search_delete after delete on posts begin
      insert into posts_search(posts_search, rowid, title, content) values ('delete', old.id, old.title, old.content);
    end`.execute(db)
    await sql`create trigger posts_search_update after update of title, content on posts begin
      insert into posts_search(posts_search, rowid, title, content) values ('delete', old.id, old.title, old.content);
      insert into posts_search(rowid, title, content) values (new.id, new.title, new.content);
    end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`drop table if exists posts_search`.execute(db)
  await db.schema.dropTable('comments').execute()
  await db.schema.dropTable('shares').execute()
  await db.schema.dropTable('likes').execute()
  await db.schema.dropTable('posts').execute()
  await db.schema.alterTable('users').dropColumn('comments_received').execute()
  await db.schema.alterTable('users').dropColumn('likes_received').execute()
  await m0003.up(db)
}
