import { sql, type RawBuilder } from 'kysely'
import { dialectOf, type Db } from './connect.js'
import type { DialectName } from './dialect.js'
import { dropSecondaryStructures, hasColumn, hasTable } from './seed-schema.js'
import { recountTotals } from './totals.js'
import { COMMENTS, CONNECTORS, FIRST_NAMES, LAST_NAMES, POST_TITLES, ROLES, TOPICS } from './seed-data.js'

// Bulk generation of demo and benchmark data (`npm run seed`, the benchmark, tests).

export interface SeedOptions {
  users: number
  follows: number
  /** Default users / 10. */
  posts?: number
  /** Default 2 × posts. */
  likes?: number
  /** Default posts. */
  comments?: number
  /** The same seed and sizes give the same rows. */
  seed: number
  /** One argon2id hash shared by every generated user (hashing 100k passwords would take hours). */
  passwordHash: string
  onProgress?: (phase: string, done: number, total: number) => void
}

export interface SeedSummary {
  users: number
  follows: number
  posts: number
  likes: number
  comments: number
}

const BATCH = 5000
const EPOCH = Date.parse('2024-01-01T00:00:00.000Z')
const YEAR_MS = 365 * 24 * 3600 * 1000

type ColumnType = 'int' | 'text' | 'timestamptz'
type Column = readonly [name: string, type: ColumnType]
type Row = (string | number)[]

export function usernameOf(index: number): string {
  return `user${String(index).padStart(6, '0')}`
}

/** Deterministic 32-bit generator (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Inserts users (ids 1…N, `user000001`…), a skewed follow graph (a few very followed users), posts, likes
 * and comments, in one transaction, then sets every stored counter from the rows.
 */
export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const n = options.users
  const posts = options.posts ?? Math.floor(n / 10)
  const likes = options.likes ?? 2 * posts
  const comments = options.comments ?? posts
  const follows = Math.min(options.follows, n * (n - 1))
  const dialect = dialectOf(db)
  const schema = {
    posts: await hasTable(db, 'posts'),
    postTitle: await hasColumn(db, 'posts', 'title'),
    sharesCount: await hasColumn(db, 'posts', 'shares_count'),
    shares: await hasTable(db, 'shares'),
    received: await hasColumn(db, 'users', 'likes_received'),
  }
  const withPosts = schema.posts && n > 0
  const progress = options.onProgress ?? (() => {})
  const rnd = random(options.seed)
  const at = (ms: number): string => new Date(EPOCH + Math.floor(ms)).toISOString()
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!

  // A page cache large enough for the whole build: the transaction never spills half-written pages.
  if (dialect === 'sqlite') await sql`pragma cache_size = -1000000`.execute(db)
  await db.transaction().execute(async (trx) => {
    const insert = batchInserter(trx, dialect, progress)
    const restore = dialect === 'sqlite' ? await dropSecondaryStructures(trx) : async () => {}
    await insert('users', USER_COLUMNS, n, (i) => {
      const username = usernameOf(i + 1)
      const first = pick(FIRST_NAMES)
      const last = pick(LAST_NAMES)
      const bio = `${pick(ROLES)} ${pick(CONNECTORS)} ${pick(TOPICS)} and ${pick(TOPICS)}`
      const created = at((i / Math.max(n, 1)) * YEAR_MS)
      return [
        username,
        username,
        `${username}@example.com`,
        `${username}@example.com`,
        options.passwordHash,
        first,
        last,
        bio,
        created,
        created,
      ]
    })

    // Each user follows about follows/n others; half the targets are drawn towards low ids (the popular accounts).
    const base = Math.floor(follows / Math.max(n, 1))
    const extra = follows - base * n
    let follower = 1
    let pending: number[] = []
    // Follows' own triggers only move the follow versions (migration 0009), which may start at 0 for loaded rows;
    // on PostgreSQL they would queue one deferred update per follow.
    if (dialect === 'postgres') await sql`alter table follows disable trigger user`.execute(trx)
    await insert('follows', FOLLOW_COLUMNS, follows, () => {
      while (pending.length === 0) {
        pending = followTargets(follower, base + (follower <= extra ? 1 : 0), n, rnd)
        if (pending.length === 0) follower += 1
      }
      const target = pending.pop()!
      const row = [follower, target, at(rnd() * YEAR_MS)]
      if (pending.length === 0) follower += 1
      return row
    })
    if (dialect === 'postgres') await sql`alter table follows enable trigger user`.execute(trx)

    if (withPosts) await seedPosts()
    progress('indexes', 0, 1)
    await restore()
    // The stored list totals are moved by triggers, which the SQLite bulk load bypasses.
    if (await hasTable(trx, 'table_totals')) {
      // PostgreSQL's totals triggers are deferred to commit: fire them now, or they would add to the recount.
      if (dialect === 'postgres') await sql`set constraints all immediate`.execute(trx)
      await recountTotals(trx)
    }
    progress('indexes', 1, 1)

    async function seedPosts(): Promise<void> {
      const postColumns: Column[] = schema.postTitle ? [...POST_COLUMNS, ['title', 'text'], ['post_type', 'text']] : POST_COLUMNS
      await insert('posts', postColumns, posts, (i) => {
        const created = at((i / Math.max(posts, 1)) * YEAR_MS)
        const row: Row = [skewed(n, rnd), `${pick(POST_TITLES)}: notes on ${pick(TOPICS)}. ${pick(COMMENTS)}`, created, created]
        if (schema.postTitle) row.push(pick(POST_TITLES), 'post')
        return row
      })
      const liked = new Set<number>()
      const likeCount = posts > 0 ? Math.min(likes, posts * n) : 0
      await insert('likes', LIKE_COLUMNS, likeCount, () => {
        for (;;) {
          const post = 1 + Math.floor(rnd() * posts)
          const user = 1 + Math.floor(rnd() * n)
          const key = post * (n + 1) + user
          if (liked.has(key)) continue
          liked.add(key)
          return [post, user, at(rnd() * YEAR_MS)]
        }
      })
      await insert('comments', COMMENT_COLUMNS, posts > 0 ? comments : 0, () => {
        const created = at(rnd() * YEAR_MS)
        return [1 + Math.floor(rnd() * posts), 1 + Math.floor(rnd() * n), pick(COMMENTS), created, created]
      })
    }
  })

  progress('counters', 0, 1)
  await setCounters(db, schema)
  progress('counters', 1, 1)
  await sql`analyze`.execute(db)
  return { users: n, follows, posts: withPosts ? posts : 0, likes: withPosts ? likes : 0, comments: withPosts ? comments : 0 }
}

const USER_COLUMNS: Column[] = [
  ['username', 'text'],
  ['username_key', 'text'],
  ['email', 'text'],
  ['email_key', 'text'],
  ['password_hash', 'text'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['bio', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
]
const FOLLOW_COLUMNS: Column[] = [
  ['follower_id', 'int'],
  ['following_id', 'int'],
  ['created_at', 'timestamptz'],
]
const POST_COLUMNS: Column[] = [
  ['author_id', 'int'],
  ['content', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
]
const LIKE_COLUMNS: Column[] = [
  ['post_id', 'int'],
  ['user_id', 'int'],
  ['created_at', 'timestamptz'],
]
const COMMENT_COLUMNS: Column[] = [
  ['post_id', 'int'],
  ['author_id', 'int'],
  ['content', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
]

/** A user id in 1…n, drawn towards low ids half of the time. */
function skewed(n: number, rnd: () => number): number {
  const r = rnd()
  return 1 + Math.min(n - 1, Math.floor(n * (rnd() < 0.5 ? r ** 4 : r)))
}

function followTargets(follower: number, count: number, n: number, rnd: () => number): number[] {
  const wanted = Math.min(count, n - 1)
  const targets = new Set<number>()
  while (targets.size < wanted) {
    const target = skewed(n, rnd)
    if (target !== follower) targets.add(target)
  }
  return [...targets].sort((a, b) => b - a)
}

/** Inserts `total` generated rows in multi-row batches: `json_each` on SQLite, `unnest` of arrays on PostgreSQL. */
function batchInserter(trx: Db, dialect: DialectName, progress: (phase: string, done: number, total: number) => void) {
  return async (table: string, columns: readonly Column[], total: number, row: (index: number) => Row): Promise<void> => {
    const names = sql.join(columns.map(([name]) => sql.ref(name)))
    for (let start = 0; start < total; start += BATCH) {
      const rows: Row[] = []
      for (let i = start; i < Math.min(total, start + BATCH); i++) rows.push(row(i))
      let select: RawBuilder<unknown>
      if (dialect === 'postgres') {
        const arrays = columns.map(([, type], c) => sql`${rows.map((r) => r[c])}::${sql.raw(type)}[]`)
        select = sql`select * from unnest(${sql.join(arrays)})`
      } else {
        const values = columns.map((_, c) => sql`value ->> ${sql.lit(c)}`)
        select = sql`select ${sql.join(values)} from json_each(${JSON.stringify(rows)})`
      }
      await sql`insert into ${sql.table(table)} (${names}) ${select}`.execute(trx)
      progress(table, Math.min(total, start + BATCH), total)
    }
  }
}

/**
 * Seeding is the one bulk path allowed to write counters directly (every other write goes through
 * `moveCounters`): after the bulk insert each counter is set from a count of its rows.
 */
async function setCounters(
  db: Db,
  schema: { posts: boolean; sharesCount: boolean; shares: boolean; received: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const count = (table: string, column: string, outer: string): RawBuilder<number> =>
      sql<number>`(select count(*) from ${sql.table(table)} x where x.${sql.ref(column)} = ${sql.ref(outer)})`
    if (schema.posts) {
      const shares = schema.sharesCount
        ? sql`, shares_count = ${schema.shares ? count('shares', 'post_id', 'posts.id') : sql`0`}`
        : sql``
      await sql`update posts set likes_count = ${count('likes', 'post_id', 'posts.id')},
        comments_count = ${count('comments', 'post_id', 'posts.id')}${shares}`.execute(trx)
    }
    const posts = schema.posts ? count('posts', 'author_id', 'users.id') : sql`0`
    const received = schema.received
      ? sql`, likes_received = (select coalesce(sum(p.likes_count), 0) from posts p where p.author_id = users.id),
          comments_received = (select coalesce(sum(p.comments_count), 0) from posts p where p.author_id = users.id)`
      : sql``
    await sql`update users set followers_count = ${count('follows', 'following_id', 'users.id')},
      following_count = ${count('follows', 'follower_id', 'users.id')}, posts_count = ${posts}${received}`.execute(trx)
  })
}
