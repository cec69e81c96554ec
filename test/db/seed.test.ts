import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { connect } from '../../src/db/connect.js'
import { seedDatabase, usernameOf } from '../../src/db/seed.js'
import { hasColumn, wipe } from '../../src/db/seed-schema.js'
import { DIALECT, PASSWORD, useTestApp } from '../helper.js'

const testApp = useTestApp()
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$6b8Z4v3ZkqfQqkD9l7Jx7l3d0Vd8R5X7a0oXcS4Zb1Y'

async function mismatches(): Promise<Record<string, number>> {
  const { db } = testApp
  const count = async (query: ReturnType<typeof sql<{ n: number }>>): Promise<number> =>
    Number((await query.execute(db)).rows[0]!.n)
  const result: Record<string, number> = {
    followers: await count(
      sql`select count(*) as n from users u where followers_count <> (select count(*) from follows f where f.following_id = u.id)`,
    ),
    following: await count(
      sql`select count(*) as n from users u where following_count <> (select count(*) from follows f where f.follower_id = u.id)`,
    ),
    posts: await count(
      sql`select count(*) as n from users u where posts_count <> (select count(*) from posts p where p.author_id = u.id)`,
    ),
    likes: await count(
      sql`select count(*) as n from posts p where likes_count <> (select count(*) from likes l where l.post_id = p.id)`,
    ),
    comments: await count(
      sql`select count(*) as n from posts p where comments_count <> (select count(*) from comments c where c.post_id = p.id)`,
    ),
  }
  if (await hasColumn(db, 'users', 'likes_received')) {
    result.received = await count(sql`select count(*) as n from users u where likes_received <> (select count(*) from likes l
      join posts p on p.id = l.post_id where p.author_id = u.id)`)
  }
  return result
}

describe('seeding', () => {
  it('inserts the requested rows with every counter equal to its rows, and the same data for the same seed', async () => {
    const { db, app } = testApp
    const options = { users: 300, follows: 3000, posts: 80, likes: 400, comments: 120, seed: 42, passwordHash: HASH }
    const summary = await seedDatabase(db, options)
    assert.deepEqual(summary, { users: 300, follows: 3000, posts: 80, likes: 400, comments: 120 })
    for (const [table, expected] of Object.entries(summary)) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)
      assert.equal(Number(rows[0]!.n), expected, table)
    }
    assert.deepEqual(
      Object.values(await mismatches()).filter((n) => n !== 0),
      [],
    )
    const first = await db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'first_name', 'bio', 'followers_count'])
      .orderBy('id')
      .execute()
    assert.equal(first[0]!.username, 'user000001')
    assert.equal(first[0]!.email, 'user000001@example.com')
    assert.ok(first[0]!.followers_count > first[299]!.followers_count, 'low ids are the popular accounts')

    // The API sees the seeded rows: search index, profile counts, and the documented password.
    const found = await app.inject({ method: 'GET', url: `/careers/users/?search=${usernameOf(7)}` })
    assert.equal(found.json().batch_info.total_users, 1)
    const posts = await app.inject({ method: 'GET', url: '/careers/' })
    assert.equal(posts.json().batch_info.total_posts, 80)
    const profile = await app.inject({ method: 'GET', url: '/careers/users/user000001/' })
    assert.equal(profile.json().followers_count, first[0]!.followers_count)

    // The follows triggers are on again after the load: a follow moves both users' versions.
    const versions = () =>
      db
        .selectFrom('users')
        .select(['follows_version', 'followers_version'])
        .where('id', 'in', [299, 300])
        .orderBy('id')
        .execute()
    await db.deleteFrom('follows').where('follower_id', '=', 299).where('following_id', '=', 300).execute()
    const before = await versions()
    await db.insertInto('follows').values({ follower_id: 299, following_id: 300, created_at: new Date().toISOString() }).execute()
    const moved = await versions()
    assert.equal(Number(moved[0]!.follows_version) - Number(before[0]!.follows_version), 1)
    assert.equal(Number(moved[1]!.followers_version) - Number(before[1]!.followers_version), 1)
    await db.deleteFrom('follows').where('follower_id', '=', 299).where('following_id', '=', 300).execute()

    await wipe(db)
    // The load bypasses the triggers on SQLite: the seed itself moves the generation that cached pages of posts keep.
    const postRows = async () =>
      Number(
        (await db.selectFrom('table_totals').select('generation').where('name', '=', 'post_rows').executeTakeFirst())?.generation,
      )
    const wiped = await postRows()
    await seedDatabase(db, options)
    if (DIALECT === 'sqlite') assert.ok((await postRows()) > wiped)
    const again = await db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'first_name', 'bio', 'followers_count'])
      .orderBy('id')
      .execute()
    assert.deepEqual(again, first)
  })
})

describe('npm run seed', { skip: DIALECT !== 'sqlite' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'careers-seed-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts', ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'seed.sqlite')}` },
      encoding: 'utf8',
      timeout: 60_000,
    })

  it('seeds an empty database, refuses a non-empty one, and reseeds with --force', async () => {
    const first = run(['--users', '50', '--follows', '200', '--seed', '3'])
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /seeded 50 users, 200 follows, 5 posts, 10 likes, 5 comments/)
    assert.match(first.stderr, /follows .*100%/)
    const refused = run(['--users', '50'])
    assert.equal(refused.status, 1)
    assert.match(refused.stderr, /^error: the database already has users; pass --force/m)
    const forced = run(['--users', '20', '--follows', '30', '--force'])
    assert.equal(forced.status, 0, forced.stderr)
    const db = connect({ dialect: 'sqlite', filename: join(dir, 'seed.sqlite') })
    const users = await db.selectFrom('users').select(['id', 'username', 'password_hash']).orderBy('id').execute()
    await db.destroy()
    assert.equal(users.length, 20)
    assert.equal(users[0]!.id, 1)
    const { verify } = await import('@node-rs/argon2')
    assert.ok(await verify(users[0]!.password_hash, PASSWORD))
  })
})
