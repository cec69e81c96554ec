import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// Reads that never scan: the users list's total kept in one row by triggers, a generation number that every
// change of a searched field bumps (count caches key on it), and one index per `ordering`.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'

  await db.schema
    .createTable('table_totals')
    .addColumn('name', 'varchar(32)', (col) => col.primaryKey())
    .addColumn('total', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('inactive', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('generation', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute()
  await sql`insert into table_totals (name, total, inactive, generation)
    select 'users',
      coalesce(sum(case when is_active then 1 else 0 end), 0),
      coalesce(sum(case when is_active then 0 else 1 end), 0),
      0
    from users`.execute(db)

  if (postgres) await postgresTriggers(db)
  else await sqliteTriggers(db)

  // One index per ordering, active users first; descending orders keep ties by ascending id.
  await db.schema.dropIndex('users_created_at_idx').execute()
  const lower = (column: string) => (postgres ? `lower(${column}) collate "C"` : `lower(${column})`)
  const indexes: Record<string, string> = {
    users_order_username_idx: 'is_active, username_key, id',
    users_order_created_idx: 'is_active, created_at, id',
    users_order_created_desc_idx: 'is_active, created_at desc, id',
    users_order_first_idx: `is_active, (${lower('first_name')}), id`,
    users_order_first_desc_idx: `is_active, (${lower('first_name')}) desc, id`,
    users_order_last_idx: `is_active, (${lower('last_name')}), id`,
    users_order_last_desc_idx: `is_active, (${lower('last_name')}) desc, id`,
  }
  for (const [name, columns] of Object.entries(indexes)) {
    await sql`create index ${sql.id(name)} on users (${sql.raw(columns)})`.execute(db)
  }

  if (postgres) {
    // One trigram index over all searched text: the planner takes it for `search`; the per-column match
    // is rechecked on the few rows it returns. The first/last name indexes stay for their filters.
    await sql`drop index users_username_trgm_idx`.execute(db)
    await sql`drop index users_bio_trgm_idx`.execute(db)
    await sql`create index users_search_text_trgm_idx on users using gin (
      (username || ' ' || first_name || ' ' || last_name || ' ' || bio) gin_trgm_ops)`.execute(db)
  }
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`create function users_totals_move() returns trigger language plpgsql as $$
    declare
      moved_total bigint := 0;
      moved_inactive bigint := 0;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        if old.is_active then moved_total := moved_total - 1; else moved_inactive := moved_inactive - 1; end if;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        if new.is_active then moved_total := moved_total + 1; else moved_inactive := moved_inactive + 1; end if;
      end if;
      update table_totals
        set total = total + moved_total, inactive = inactive + moved_inactive, generation = generation + 1
        where name = 'users';
      return null;
    end $$`.execute(db)
  // Deferred to commit: the totals row is the last lock every writing transaction takes, held for an instant.
  await sql`create constraint trigger users_totals_insert_delete after insert or delete on users
    deferrable initially deferred for each row execute function users_totals_move()`.execute(db)
  await sql`create constraint trigger users_totals_update after update on users
    deferrable initially deferred for each row
    when (old.is_active is distinct from new.is_active or old.username is distinct from new.username
      or old.first_name is distinct from new.first_name or old.last_name is distinct from new.last_name
      or old.bio is distinct from new.bio)
    execute function users_totals_move()`.execute(db)
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  await sql`create trigger users_totals_insert after insert on users begin
    update table_totals set total = total + (new.is_active <> 0), inactive = inactive + (new.is_active = 0),
      generation = generation + 1 where name = 'users';
  end`.execute(db)
  await sql`create trigger users_totals_delete after delete on users begin
    update table_totals set total = total - (old.is_active <> 0), inactive = inactive - (old.is_active = 0),
      generation = generation + 1 where name = 'users';
  end`.execute(db)
  await sql`create trigger users_totals_update after update of is_active, username, first_name, last_name, bio on users
    when old.is_active is not new.is_active or old.username is not new.username or old.first_name is not new.first_name
      or old.last_name is not new.last_name or old.bio is not new.bio
    begin
      update table_totals
        set total = total + (new.is_active <> 0) - (old.is_active <> 0),
          inactive = inactive + (new.is_active = 0) - (old.is_active = 0),
          generation = generation + 1
        where name = 'users';
    end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'
  for (const name of [
    'users_order_username_idx',
    'users_order_created_idx',
    'users_order_created_desc_idx',
    'users_order_first_idx',
    'users_order_first_desc_idx',
    'users_order_last_idx',
    'users_order_last_desc_idx',
  ]) {
    await db.schema.dropIndex(name).execute()
  }
  await db.schema.createIndex('users_created_at_idx').on('users').columns(['created_at', 'id']).execute()
  if (postgres) {
    await sql`drop index users_search_text_trgm_idx`.execute(db)
    for (const column of ['username', 'bio']) {
      await sql`create index ${sql.id(`users_${column}_trgm_idx`)} on users using gin (${sql.ref(column)} gin_trgm_ops)`.execute(
        db,
      )
    }
    await sql`drop trigger users_totals_update on users`.execute(db)
    await sql`drop trigger users_totals_insert_delete on users`.execute(db)
    await sql`drop function users_totals_move()`.execute(db)
  } else {
    for (const name of ['users_totals_insert', 'users_totals_delete', 'users_totals_update']) {
      await sql`drop trigger ${sql.id(name)}`.execute(db)
    }
  }
  await db.schema.dropTable('table_totals').execute()
}
