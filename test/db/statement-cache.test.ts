import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { CachingSqliteDialect, type CachingSqliteConnection } from '../../src/db/sqlite-driver.js'
import { inTransaction } from '../../src/db/transaction.js'
import { DIALECT, register, useTestApp } from '../helper.js'
import { userRow } from '../support/index.js'

// The SQLite driver keeps prepared statements; everything Kysely's own driver guarantees must still hold.
const skip = DIALECT !== 'sqlite'

async function cachedStatements(db: Kysely<Database>): Promise<number> {
  return db.getExecutor().provideConnection(async (connection) => (connection as CachingSqliteConnection).cachedStatements)
}

describe('the SQLite statement cache', { skip }, () => {
  it('prepares each SQL text once and evicts the least recently used beyond its size', async () => {
    const db = new Kysely<Database>({ dialect: new CachingSqliteDialect(new SqliteDatabase(':memory:'), 2) })
    await sql`create table t (x integer)`.execute(db)
    for (let i = 0; i < 5; i++) await sql`insert into t (x) values (${i})`.execute(db)
    assert.equal(await cachedStatements(db), 2)
    const rows = await sql<{ n: number }>`select count(*) as n from t`.execute(db)
    assert.equal(rows.rows[0]!.n, 5)
    await sql`select x from t where x = ${1}`.execute(db)
    await sql`select x from t where x = ${2}`.execute(db)
    assert.equal(await cachedStatements(db), 2)
    await db.destroy()
  })

  it('keeps transactions atomic: a failure rolls back every statement of the transaction', async () => {
    const db = connect({ dialect: 'sqlite', filename: ':memory:' })
    await migrateToLatest(db)
    await assert.rejects(
      inTransaction(db, async (trx) => {
        await trx.insertInto('users').values(userRow('first')).execute()
        await trx.insertInto('users').values(userRow('first')).execute()
      }),
      /UNIQUE/,
    )
    assert.equal((await db.selectFrom('users').select('id').execute()).length, 0)
    await inTransaction(db, async (trx) => {
      await trx.insertInto('users').values(userRow('second')).execute()
    })
    assert.equal((await db.selectFrom('users').select('id').execute()).length, 1)
    await db.destroy()
  })

  it('is not poisoned by a failing statement: the same SQL runs again, and bad SQL is never cached', async () => {
    const db = connect({ dialect: 'sqlite', filename: ':memory:' })
    await migrateToLatest(db)
    await db.insertInto('users').values(userRow('taken')).execute()
    for (let i = 0; i < 3; i++) await assert.rejects(db.insertInto('users').values(userRow('taken')).execute(), /UNIQUE/)
    await db.insertInto('users').values(userRow('fresh')).execute()
    const before = await cachedStatements(db)
    await assert.rejects(sql`select nope from nowhere`.execute(db), /no such table/)
    assert.equal(await cachedStatements(db), before)
    assert.equal(
      (await db.selectFrom('users').select('username').orderBy('id').execute()).map((r) => r.username).join(),
      'taken,fresh',
    )
    await db.destroy()
  })
})

describe('concurrent requests through the cached statements', () => {
  const testApp = useTestApp()
  it('answer every request correctly, reads and writes interleaved', async () => {
    const { app } = testApp
    const account = await register(app)
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? app.inject({ method: 'GET', url: `/careers/users/${account.username}/` })
          : i % 3 === 1
            ? app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })
            : app.inject({ method: 'GET', url: `/careers/users/nobody${i}/` }),
      ),
    )
    responses.forEach((response, i) => {
      assert.equal(response.statusCode, i % 3 === 2 ? 404 : 200)
      if (i % 3 !== 2) assert.equal(response.json().username, account.username)
    })
    const registered = await Promise.all(Array.from({ length: 10 }, () => register(app)))
    assert.equal(new Set(registered.map((a) => a.id)).size, 10)
  })
})
