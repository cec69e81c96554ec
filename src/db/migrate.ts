import { Migrator, type Migration, type MigrationResultSet } from 'kysely'
import type { Db } from './connect.js'
import * as m0001 from './migrations/2026_11_26_0001_users_and_sessions.js'
import * as m0002 from './migrations/2026_11_26_0002_follows.js'
import * as m0003 from './migrations/2026_11_26_0003_posts_likes_comments.js'

// Listed explicitly so that the same code runs from src/ (tsx) and dist/ (node).
const migrations: Record<string, Migration> = {
  '2026_11_26_0001_users_and_sessions': m0001,
  '2026_11_26_0002_follows': m0002,
  '2026_11_26_0003_posts_likes_comments': m0003,
}

/** Applies pending migrations; returns the names applied. Throws if one fails (nothing after it runs). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}
