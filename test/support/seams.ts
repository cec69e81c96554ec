import { sql } from 'kysely'
import type { Db } from '../../src/db/connect.js'
import { DIALECT } from './app.js'

// A seam that needs no production code: a trigger, created by the test, that raises inside whatever
// transaction writes a matching row. Each test file has its own database, so a trigger never leaks.

export interface ForcedFailure {
  table: 'users' | 'sessions' | 'follows' | 'posts' | 'likes' | 'comments'
  on: 'insert' | 'update' | 'delete'
  /** A condition on `new.<column>` (insert, update) or `old.<column>` (update, delete), valid SQL on both dialects. */
  when: string
  /** `skip`: the write silently leaves the row out, as if it had been deleted just before. Default: raise. */
  effect?: 'raise' | 'skip'
}

let sequence = 0

/** Installs the trigger; returns the function that removes it. */
export async function forceFailure(db: Db, { table, on, when, effect = 'raise' }: ForcedFailure): Promise<() => Promise<void>> {
  sequence += 1
  const name = `forced_failure_${process.pid}_${sequence}`
  if (DIALECT === 'sqlite') {
    await sql
      .raw(
        `create trigger ${name} before ${on} on ${table} for each row when (${when}) begin select ${effect === 'skip' ? 'raise(ignore)' : "raise(abort, 'forced failure')"}; end`,
      )
      .execute(db)
    return async () => {
      await sql.raw(`drop trigger ${name}`).execute(db)
    }
  }
  const row = on === 'delete' ? 'old' : 'new'
  await sql
    .raw(
      `create function ${name}() returns trigger language plpgsql as $$
       begin if (${when}) then ${effect === 'skip' ? 'return null' : "raise exception 'forced failure'"}; end if; return ${row}; end $$`,
    )
    .execute(db)
  await sql.raw(`create trigger ${name} before ${on} on ${table} for each row execute function ${name}()`).execute(db)
  return async () => {
    await sql.raw(`drop trigger ${name} on ${table}`).execute(db)
    await sql.raw(`drop function ${name}()`).execute(db)
  }
}

/** Runs `action` with the failure in place, and removes it afterwards whatever happens. */
export async function withForcedFailure<T>(db: Db, failure: ForcedFailure, action: () => Promise<T>): Promise<T> {
  const remove = await forceFailure(db, failure)
  try {
    return await action()
  } finally {
    await remove()
  }
}
