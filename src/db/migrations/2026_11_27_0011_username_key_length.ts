import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// A username's lower-cased key can be longer than the username: `İ` (U+0130) lower-cases to two characters, so a
// valid 150-character name can have a 300-character key. On PostgreSQL varchar(150) refused such a key; text
// takes any (widening a varchar is a change of the catalog only: no rewrite of the table or its indexes).
// SQLite does not enforce varchar lengths.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table users alter column username_key type text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await sql`alter table users alter column username_key type varchar(150)`.execute(db)
}
