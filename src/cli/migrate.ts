import { ConfigError, loadConfig } from '../config.js'
import { connect } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  const config = loadConfig()
  const db = connect(config.database)
  try {
    const applied = await migrateToLatest(db)
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n')
  } finally {
    await db.destroy()
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error)
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
})
