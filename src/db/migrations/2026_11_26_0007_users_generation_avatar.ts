import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// The users generation (0005) also moves when an avatar changes: cached list and search pages hold every
// column a listed user shows (username, names, avatar), so each of them must invalidate the pages.
const WATCHED = ['is_active', 'username', 'first_name', 'last_name', 'bio', 'avatar']

export async function up(db: Kysely<any>): Promise<void> {
  await replaceUpdateTrigger(db, WATCHED)
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceUpdateTrigger(
    db,
    WATCHED.filter((column) => column !== 'avatar'),
  )
}

async function replaceUpdateTrigger(db: Kysely<any>, columns: string[]): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    const changed = sql.join(
      columns.map((column) => sql`old.${sql.ref(column)} is distinct from new.${sql.ref(column)}`),
      sql` or `,
    )
    await sql`drop trigger users_totals_update on users`.execute(db)
    await sql`create constraint trigger users_totals_update after update on users
      deferrable initially deferred for each row when (${changed})
      execute function users_totals_move()`.execute(db)
    return
  }
  const changed = sql.join(
    columns.map((column) => sql`old.${sql.ref(column)} is not new.${sql.ref(column)}`),
    sql` or `,
  )
  await sql`drop trigger users_totals_update`.execute(db)
  await sql`create trigger users_totals_update after update of ${sql.join(columns.map((column) => sql.ref(column)))} on users
    when ${changed}
    begin
      update table_totals
        set total = total + (new.is_active <> 0) - (old.is_active <> 0),
          inactive = inactive + (new.is_active = 0) - (old.is_active = 0),
          generation = generation + 1
        where name = 'users';
    end`.execute(db)
}
