import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// On SQLite, a generation of every shown column of every post: moved by any insert, update (a counter, a
// title) or delete of a post, and by any like or unlike (whose `is_liked` a page shows), so that whole pages
// of posts can be cached under it. SQLite writers take the database's one write lock anyway, so one more row
// to update costs them nothing; on PostgreSQL it would be a row every like in the network queues on, so it
// is not kept there (pages of posts are read fresh).
const SOURCES = [
  ['posts', 'insert'],
  ['posts', 'update'],
  ['posts', 'delete'],
  ['likes', 'insert'],
  ['likes', 'delete'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return
  await sql`insert into table_totals (name, total, inactive, generation) values ('post_rows', 0, 0, 0)`.execute(db)
  for (const [table, event] of SOURCES) {
    await sql`create trigger ${sql.id(`post_rows_${table}_${event}`)} after ${sql.raw(event)} on ${sql.id(table)} begin
      update table_totals set generation = generation + 1 where name = 'post_rows';
    end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return
  for (const [table, event] of SOURCES) await sql`drop trigger ${sql.id(`post_rows_${table}_${event}`)}`.execute(db)
  await sql`delete from table_totals where name = 'post_rows'`.execute(db)
}
