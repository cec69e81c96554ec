import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'

  await db.schema
    .createTable('follows')
    .addColumn('id', postgres ? 'bigint' : 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('follower_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('following_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', postgres ? 'timestamptz' : 'text', (col) => col.notNull())
    .addUniqueConstraint('follows_pair_unique', ['follower_id', 'following_id'])
    .addCheckConstraint('follows_not_self', sql`follower_id <> following_id`)
    .execute()
  // Both directions of the graph, newest first.
  await db.schema.createIndex('follows_follower_time_idx').on('follows').columns(['follower_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('follows_following_time_idx').on('follows').columns(['following_id', 'created_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follows').execute()
}
