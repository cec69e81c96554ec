import { Migrator, sql, type Migration, type MigrationResultSet } from 'kysely'
import { dialectOf, type Db } from './connect.js'
import * as m0001 from './migrations/2026_11_26_0001_users_and_sessions.js'
import * as m0002 from './migrations/2026_11_26_0002_follows.js'
import * as m0003 from './migrations/2026_11_26_0003_posts_likes_comments.js'
import * as m0004 from './migrations/2026_11_26_0004_posts_shares_counters.js'
import * as m0005 from './migrations/2026_11_26_0005_list_reads.js'
import * as m0006 from './migrations/2026_11_26_0006_posts_totals.js'
import * as m0007 from './migrations/2026_11_26_0007_users_generation_avatar.js'
import * as m0008 from './migrations/2026_11_26_0008_follows_page_indexes.js'
import * as m0009 from './migrations/2026_11_26_0009_follows_version.js'
import * as m0010 from './migrations/2026_11_26_0010_post_rows_generation.js'
import * as m0011 from './migrations/2026_11_27_0011_username_key_length.js'

// Listed explicitly so that the same code runs from src/ (tsx) and dist/ (node).
const migrations: Record<string, Migration> = {
  '2026_11_26_0001_users_and_sessions': m0001,
  '2026_11_26_0002_follows': m0002,
  '2026_11_26_0003_posts_likes_comments': m0003,
  '2026_11_26_0004_posts_shares_counters': m0004,
  '2026_11_26_0005_list_reads': m0005,
  '2026_11_26_0006_posts_totals': m0006,
  '2026_11_26_0007_users_generation_avatar': m0007,
  '2026_11_26_0008_follows_page_indexes': m0008,
  '2026_11_26_0009_follows_version': m0009,
  '2026_11_26_0010_post_rows_generation': m0010,
  '2026_11_27_0011_username_key_length': m0011,
}

/** Applies pending migrations; returns the names applied. Throws if one fails (nothing after it runs). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Without a schema, Kysely looks for its bookkeeping tables in every schema of the database and
    // would take another schema's (another deployment's, another test file's) for ours.
    migrationTableSchema: dialectOf(db) === 'postgres' ? await currentSchema(db) : undefined,
  })
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema
  if (!schema) throw new Error('PostgreSQL has no current schema: check the search_path')
  return schema
}
