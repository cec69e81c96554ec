import { sql } from 'kysely'
import type { Db } from '../../db/connect.js'

/** One round trip that needs a working connection. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}
