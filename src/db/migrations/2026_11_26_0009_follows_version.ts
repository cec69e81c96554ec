import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../connect.js'

// users.follows_version moves whenever the set of users someone follows changes, users.followers_version
// whenever the set of their followers does (a follow made or undone, by any writer: the triggers below), so
// that what is derived from those sets (a feed page's ids, a page of followers) can be cached per version
// and is never read stale.
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['follows_version', 'followers_version']) {
    await db.schema
      .alterTable('users')
      .addColumn(column, 'bigint', (col) => col.notNull().defaultTo(0))
      .execute()
  }
  if (dialectOf(db) === 'postgres') {
    await sql`create function follows_version_move() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          update users set follows_version = follows_version + 1 where id = old.follower_id;
          update users set followers_version = followers_version + 1 where id = old.following_id;
        else
          update users set follows_version = follows_version + 1 where id = new.follower_id;
          update users set followers_version = followers_version + 1 where id = new.following_id;
        end if;
        return null;
      end $$`.execute(db)
    // Deferred to commit, when the follow's own transaction already holds both users' rows (it moved their
    // counts): no new lock, so no new lock order between two follows.
    await sql`create constraint trigger follows_version_insert_delete after insert or delete on follows
      deferrable initially deferred for each row execute function follows_version_move()`.execute(db)
    return
  }
  await sql`create trigger follows_version_insert after insert on follows begin
    update users set follows_version = follows_version + 1 where id = new.follower_id;
    update users set followers_version = followers_version + 1 where id = new.following_id;
  end`.execute(db)
  await sql`create trigger follows_version_delete after delete on follows begin
    update users set follows_version = follows_version + 1 where id = old.follower_id;
    update users set followers_version = followers_version + 1 where id = old.following_id;
  end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger follows_version_insert_delete on follows`.execute(db)
    await sql`drop function follows_version_move()`.execute(db)
  } else {
    await sql`drop trigger follows_version_insert`.execute(db)
    await sql`drop trigger follows_version_delete`.execute(db)
  }
  for (const column of ['follows_version', 'followers_version']) {
    await db.schema.alterTable('users').dropColumn(column).execute()
  }
}
