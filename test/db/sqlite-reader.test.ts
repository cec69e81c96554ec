import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import SqliteDatabase from 'better-sqlite3'
import { connect, sqliteFilename, sqliteReader, type Db } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { preparedFirst, preparedRead } from '../../src/db/prepared.js'
import { inTransaction } from '../../src/db/transaction.js'
import { DIALECT, register, useTestApp } from '../helper.js'
import { userRow } from '../support/index.js'

// On a SQLite file, reads outside transactions run on a second, query-only connection. They must see
// every commit at once, nothing uncommitted, and never wait for a transaction in progress.
const skip = DIALECT !== 'sqlite'

async function fileDb(sharedSnapshots = false): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'careers-reader-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const db = connect({ dialect: 'sqlite', filename: join(dir, 'db.sqlite') }, { sharedSnapshots })
  await migrateToLatest(db)
  return db
}

/** Another process's connection to the same file (a cluster sibling, the sqlite3 shell). */
function otherProcess(db: Db): SqliteDatabase.Database {
  const other = new SqliteDatabase(sqliteFilename(db)!)
  after(() => other.close())
  return other
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

const usernames = async (db: Db) =>
  (await db.selectFrom('users').select('username').orderBy('id').execute()).map((row) => row.username)
const byKey = preparedRead((db: Db, key: string) =>
  db.selectFrom('users').select(['id', 'username']).where('username_key', '=', key),
)
const firstByKey = preparedFirst((db: Db, key: string) =>
  db.selectFrom('users').select(['id', 'username']).where('username_key', '=', key),
)

describe('the query-only SQLite connection', { skip }, () => {
  it('exists for a file and not in memory', async () => {
    const db = await fileDb()
    const memory = connect({ dialect: 'sqlite', filename: ':memory:' })
    assert.notEqual(sqliteReader(db), undefined)
    assert.equal(sqliteReader(memory), undefined)
    await Promise.all([db.destroy(), memory.destroy()])
  })

  it('sees each commit at once, nothing uncommitted, and does not wait for an open transaction', async () => {
    const db = await fileDb()
    await db.insertInto('users').values(userRow('first')).execute()
    assert.deepEqual(await usernames(db), ['first'])
    assert.deepEqual(await byKey(db, 'first'), [{ id: 1, username: 'first' }])

    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let inserted!: () => void
    const written = new Promise<void>((resolve) => (inserted = resolve))
    const transaction = inTransaction(db, async (trx) => {
      await trx.insertInto('users').values(userRow('second')).execute()
      assert.deepEqual((await trx.selectFrom('users').select('username').orderBy('id').execute()).length, 2)
      inserted()
      await held
    })
    await written
    // The writing connection is held by the transaction: these reads finish anyway, without its row.
    assert.deepEqual(await usernames(db), ['first'])
    assert.deepEqual(await byKey(db, 'second'), [])
    assert.equal(await firstByKey(db, 'second'), undefined)
    release()
    await transaction
    assert.deepEqual(await usernames(db), ['first', 'second'])
    assert.deepEqual(await byKey(db, 'second'), [{ id: 2, username: 'second' }])
    assert.deepEqual(await firstByKey(db, 'second'), { id: 2, username: 'second' })

    await assert.rejects(
      inTransaction(db, async (trx) => {
        await trx.insertInto('users').values(userRow('third')).execute()
        throw new Error('changed my mind')
      }),
      /changed my mind/,
    )
    assert.deepEqual(await usernames(db), ['first', 'second'])
    await db.destroy()
  })

  for (const shared of [false, true]) {
    it(`sees this process's commits at once${shared ? ', with a snapshot shared by the turn' : ''}`, async () => {
      const db = await fileDb(shared)
      // All in one turn: nothing here waits for I/O.
      for (let n = 1; n <= 20; n++) {
        assert.equal((await byKey(db, `user${n}`)).length, 0)
        await db
          .insertInto('users')
          .values(userRow(`user${n}`))
          .execute()
        assert.deepEqual(await byKey(db, `user${n}`), [{ id: n, username: `user${n}` }])
        assert.equal((await usernames(db)).length, n)
        await inTransaction(db, (trx) =>
          trx
            .updateTable('users')
            .set({ bio: `bio ${n}` })
            .where('id', '=', n)
            .execute(),
        )
        const bio = preparedFirst((db: Db, id: number) => db.selectFrom('users').select('bio').where('id', '=', id))
        assert.deepEqual(await bio(db, n), { bio: `bio ${n}` })
      }
      await db.destroy()
    })
  }

  it("shares one snapshot per turn only when asked: another process's commit shows from the next turn", async () => {
    const shared = await fileDb(true)
    const separate = await fileDb(false)
    for (const db of [shared, separate]) {
      const other = otherProcess(db)
      await nextTurn()
      assert.deepEqual(await byKey(db, 'elsewhere'), [])
      other
        .prepare(
          `insert into users (username, username_key, email, email_key, password_hash, created_at, updated_at)
           values ('elsewhere', 'elsewhere', 'e@example.com', 'e@example.com', 'x', '', '')`,
        )
        .run()
      assert.equal((await byKey(db, 'elsewhere')).length, db === shared ? 0 : 1)
      await nextTurn()
      assert.equal((await byKey(db, 'elsewhere')).length, 1)
      // The snapshot never holds the other process's writes back.
      other.prepare(`update users set bio = 'changed' where username_key = 'elsewhere'`).run()
      await nextTurn()
      assert.deepEqual(await db.selectFrom('users').select('bio').where('username_key', '=', 'elsewhere').execute(), [
        { bio: 'changed' },
      ])
      await db.destroy()
    }
  })

  it('refuses writes; a raw statement and a transaction go to the writing connection', async () => {
    const db = await fileDb()
    await assert.rejects(
      async () => sqliteReader(db)!.statement("insert into users (username) values ('x')").run(),
      /readonly|query_only/i,
    )
    await sql`insert into table_totals (name, total, inactive, generation) values ('scratch', 0, 0, 0)`.execute(db)
    const { rows } = await sql<{ n: number }>`select count(*) as n from table_totals where name = 'scratch'`.execute(db)
    assert.equal(rows[0]!.n, 1)
    await db.destroy()
    // Closed with the database.
    assert.throws(() => sqliteReader(db)!.statement('select 1').all(), /not open/)
  })

  it('builds rows whose column names look like code as plain names, and refuses __proto__', async () => {
    const db = await fileDb()
    const odd = preparedRead((db: Db, n: number) =>
      db.selectNoFrom([sql`${n}`.as('a"b'), sql`${n} + 1`.as('c\\d }) + ('), sql`'x'`.as('constructor')]),
    )
    const rows = await odd(db, 1)
    assert.deepEqual(rows, [{ 'a"b': 1, 'c\\d }) + (': 2, constructor: 'x' }])
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype)
    const proto = preparedFirst((db: Db) => db.selectNoFrom(sql`1`.as('__proto__')))
    await assert.rejects(async () => proto(db), /__proto__/)
    await db.destroy()
  })
})

describe('prepared reads', () => {
  const testApp = useTestApp()
  it('answer as the query would, on either database, with the arguments of each call', async () => {
    const { db, app } = testApp
    const [a, b] = [await register(app), await register(app)]
    assert.deepEqual(await byKey(db, a.username.toLowerCase()), [{ id: a.id, username: a.username }])
    assert.deepEqual(await byKey(db, b.username.toLowerCase()), [{ id: b.id, username: b.username }])
    assert.deepEqual(await byKey(db, 'nobody-at-all'), [])
  })

  it('profiles read through them follow every change', async () => {
    const { app } = testApp
    const account = await register(app)
    const path = `/careers/users/${account.username}/`
    assert.equal((await app.inject({ method: 'GET', url: path })).json().bio, '')
    const patched = await app.inject({
      method: 'PATCH',
      url: '/careers/users/me/update/',
      headers: account.auth,
      payload: { bio: 'now' },
    })
    assert.equal(patched.statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: path })).json().bio, 'now')
    assert.equal((await app.inject({ method: 'GET', url: '/careers/users/me/', headers: account.auth })).json().bio, 'now')
  })

  it('keep answering when more shapes are used than the statement cache holds (bounded memory)', async () => {
    const { app } = testApp
    const [star, fan] = [await register(app), await register(app)]
    const follow = await app.inject({
      method: 'POST',
      url: '/careers/users/follow/',
      headers: fan.auth,
      payload: { following: star.id },
    })
    assert.equal(follow.statusCode, 201)
    // Every page size is a prepared read of its own: 520 of them evict the first ones from the cache of 500.
    for (let size = 1; size <= 520; size++) {
      const response = await app.inject({ method: 'GET', url: `/careers/users/${star.username}/followers/?batch_size=${size}` })
      assert.deepEqual(
        response.json().results.map((user: { id: number }) => user.id),
        [fan.id],
        `batch_size=${size}`,
      )
    }
    // A registration moves the users generation: the cached page is gone and the evicted statement runs again.
    await register(app)
    const first = await app.inject({ method: 'GET', url: `/careers/users/${star.username}/followers/?batch_size=1` })
    assert.deepEqual(
      first.json().results.map((user: { id: number }) => user.id),
      [fan.id],
    )
  })
})
