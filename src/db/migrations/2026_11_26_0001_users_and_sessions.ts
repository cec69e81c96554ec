import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// Frozen in time: later schema changes go in new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'
  const timestamp = postgres ? 'timestamptz' : 'text'

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('username', 'varchar(150)', (col) => col.notNull())
    .addColumn('username_key', 'varchar(150)', (col) => col.notNull())
    .addColumn('email', 'varchar(254)', (col) => col.notNull())
    .addColumn('email_key', 'varchar(254)', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('first_name', 'varchar(150)', (col) => col.notNull().defaultTo(''))
    .addColumn('last_name', 'varchar(150)', (col) => col.notNull().defaultTo(''))
    .addColumn('bio', 'varchar(1000)', (col) => col.notNull().defaultTo(''))
    .addColumn('avatar', 'varchar(500)')
    .addColumn('is_active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('followers_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('following_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('posts_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addColumn('updated_at', timestamp, (col) => col.notNull())
    .addUniqueConstraint('users_username_key_unique', ['username_key'])
    .addUniqueConstraint('users_email_key_unique', ['email_key'])
    .execute()
  await db.schema.createIndex('users_created_at_idx').on('users').columns(['created_at', 'id']).execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', timestamp, (col) => col.notNull())
    .addColumn('last_used_at', timestamp, (col) => col.notNull())
    .addColumn('expires_at', timestamp, (col) => col.notNull())
    .addColumn('user_agent', 'varchar(500)')
    .addColumn('ip', 'varchar(64)')
    .execute()
  await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute()
  await db.schema.createIndex('sessions_expires_at_idx').on('sessions').column('expires_at').execute()

  // Substring search (username, names, bio) through a trigram index on each dialect.
  if (postgres) {
    await sql`create extension if not exists pg_trgm`.execute(db)
    for (const column of ['username', 'first_name', 'last_name', 'bio']) {
      await sql`create index ${sql.id(`users_${column}_trgm_idx`)} on users using gin (${sql.ref(column)} gin_trgm_ops)`.execute(
        db,
      )
    }
  } else {
    await sql`create virtual table users_search using fts5(
      username, first_name, last_name, bio, content='users', content_rowid='id', tokenize='trigram')`.execute(db)
    await sql`create trigger users_search_insert after insert on users begin
      insert into users_search(rowid, username, first_name, last_name, bio)
        values (new.id, new.username, new.first_name, new.last_name, new.bio);
    end`.execute(db)
    await sql`create trigger users_search_delete after delete on users begin
      insert into users_search(users_search, rowid, username, first_name, last_name, bio)
        values ('delete', old.id, old.username, old.first_name, old.last_name, old.bio);
    end`.execute(db)
    await sql`create trigger users_search_update after update of username, first_name, last_name, bio on users begin
      insert into users_search(users_search, rowid, username, first_name, last_name, bio)
        values ('delete', old.id, old.username, old.first_name, old.last_name, old.bio);
      insert into users_search(rowid, username, first_name, last_name, bio)
        values (new.id, new.username, new.first_name, new.last_name, new.bio);
    end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`drop table if exists users_search`.execute(db)
  await db.schema.dropTable('sessions').execute()
  await db.schema.dropTable('users').execute()
}
