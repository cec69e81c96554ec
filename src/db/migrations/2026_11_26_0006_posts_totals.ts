import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// The posts list's total kept in one `table_totals` row by triggers (as the users row in 0005), with a
// generation that every insert, delete and change of searched text bumps (search count caches key on it).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into table_totals (name, total, inactive, generation)
    select 'posts', count(*), 0, 0 from posts`.execute(db)

  if (dialectOf(db) === 'postgres') {
    await sql`create function posts_totals_move() returns trigger language plpgsql as $$
      begin
        update table_totals
          set total = total + case tg_op when 'INSERT' then 1 when 'DELETE' then -1 else 0 end,
            generation = generation + 1
          where name = 'posts';
        return null;
      end $$`.execute(db)
    // Deferred to commit: the totals row is the last lock every writing transaction takes, held for an instant.
    await sql`create constraint trigger posts_totals_insert_delete after insert or delete on posts
      deferrable initially deferred for each row execute function posts_totals_move()`.execute(db)
    await sql`create constraint trigger posts_totals_update after update on posts
      deferrable initially deferred for each row
      when (old.title is distinct from new.title or old.content is distinct from new.content)
      execute function posts_totals_move()`.execute(db)
  } else {
    await sql`create trigger posts_totals_insert after insert on posts begin
      update table_totals set total = total + 1, generation = generation + 1 where name = 'posts';
    end`.execute(db)
    await sql`create trigger posts_totals_delete after delete on posts begin
      update table_totals set total = total - 1, generation = generation + 1 where name = 'posts';
    end`.execute(db)
    await sql`create trigger posts_totals_update after update of title, content on posts
      when old.title is not new.title or old.content is not new.content
      begin
        update table_totals set generation = generation + 1 where name = 'posts';
      end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger posts_totals_update on posts`.execute(db)
    await sql`drop trigger posts_totals_insert_delete on posts`.execute(db)
    await sql`drop function posts_totals_move()`.execute(db)
  } else {
    for (const name of ['posts_totals_insert', 'posts_totals_delete', 'posts_totals_update']) {
      await sql`drop trigger ${sql.id(name)}`.execute(db)
    }
  }
  await sql`delete from table_totals where name = 'posts'`.execute(db)
}
