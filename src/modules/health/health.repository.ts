import { statfs } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { sql } from 'kysely'
import { dialectOf, sqliteFilename, type Db } from '../../db/connect.js'

/** Below this much free space next to the SQLite file the database is reported as unable to write. */
const MIN_FREE_BYTES = 1024 * 1024

class NotWritable extends Error {}

/**
 * Proves the database can take a write without writing anything: PostgreSQL must not be a standby nor
 * read-only, and an update (of no rows, so nothing changes and no transaction id is used) must pass its
 * read-only checks; on SQLite the same update must pass (read-only file, locked database) and the disk
 * must have room.
 */
export async function probeWritable(db: Db): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await db.connection().execute(async (connection) => {
      const { rows } = await sql<{ recovery: boolean; read_only: string }>`
        select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as read_only`.execute(connection)
      if (rows[0]?.recovery === true) throw new NotWritable('PostgreSQL is a standby (in recovery)')
      if (rows[0]?.read_only === 'on') throw new NotWritable('PostgreSQL transactions are read-only')
      await sql`update users set id = id where false`.execute(connection)
    })
    return
  }
  // Takes the write lock and passes SQLite's read-only checks, and changes nothing.
  await sql`update users set id = id where 0`.execute(db)
  const filename = sqliteFilename(db)
  if (filename !== undefined && filename !== ':memory:') {
    const { bavail, bsize } = await statfs(dirname(resolve(filename)))
    if (bavail * bsize < MIN_FREE_BYTES) throw new NotWritable('the disk holding the SQLite database is full')
  }
}
