// What the bulk loader needs to know and change about the schema it fills.
import { sql } from 'kysely'
import { dialectOf, type Db } from './connect.js'

export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).execute()).length === 0
}

/** Whether `table.column` exists (the schema grows with later migrations). Runs outside any transaction. */
export async function hasColumn(db: Db, table: string, column: string): Promise<boolean> {
  try {
    await sql`select ${sql.ref(column)} from ${sql.table(table)} where 1 = 0`.execute(db)
    return true
  } catch {
    return false
  }
}

export async function hasTable(db: Db, table: string): Promise<boolean> {
  try {
    await sql`select 1 from ${sql.table(table)} where 1 = 0`.execute(db)
    return true
  } catch {
    return false
  }
}

/** Removes every row of the data tables and restarts their ids at 1. */
export async function wipe(db: Db): Promise<void> {
  const tables = ['comments', 'likes', 'shares', 'posts', 'follows', 'sessions', 'users']
  const present: string[] = []
  for (const table of tables) if (await hasTable(db, table)) present.push(table)
  if (dialectOf(db) === 'postgres') {
    await sql`truncate ${sql.join(present.map((table) => sql.table(table)))} restart identity cascade`.execute(db)
    return
  }
  await db.transaction().execute(async (trx) => {
    for (const table of present) await sql`delete from ${sql.table(table)}`.execute(trx)
    await sql`delete from sqlite_sequence`.execute(trx)
  })
}

/**
 * SQLite bulk load: secondary indexes and the search-index triggers are dropped for the inserts and
 * rebuilt once afterwards (sorting once beats a million random B-tree inserts). Their definitions come
 * from sqlite_master, so whatever later migrations add is restored as it was.
 */
export async function dropSecondaryStructures(trx: Db): Promise<() => Promise<void>> {
  const { rows } = await sql<{ type: string; name: string; sql: string }>`select type, name, sql from sqlite_master
    where type in ('index', 'trigger') and sql is not null and tbl_name in ('users', 'follows', 'posts', 'likes', 'comments', 'shares')`.execute(
    trx,
  )
  const searchTables: string[] = []
  for (const table of ['users_search', 'posts_search']) if (await hasTable(trx, table)) searchTables.push(table)
  for (const { type, name } of rows) await sql`drop ${sql.raw(type)} ${sql.id(name)}`.execute(trx)
  return async () => {
    for (const row of rows.filter((r) => r.type === 'index')) await sql.raw(row.sql).execute(trx)
    for (const table of searchTables)
      await sql`insert into ${sql.table(table)}(${sql.ref(table)}) values ('rebuild')`.execute(trx)
    for (const row of rows.filter((r) => r.type === 'trigger')) await sql.raw(row.sql).execute(trx)
  }
}
