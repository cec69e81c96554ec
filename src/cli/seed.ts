import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.js'
import { connect } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import { seedDatabase } from '../db/seed.js'
import { isEmpty, wipe } from '../db/seed-schema.js'
import { hashPassword } from '../modules/auth/index.js'

const USAGE = `usage: npm run seed -- [--users N] [--follows M] [--posts P] [--likes L] [--comments C] [--seed S] [--force]
  Fills DATABASE_URL with generated users user000001… (password "password123"), follows, posts, likes and comments.
  Defaults: 1000 users, 10 follows per user, posts = users/10, likes = 2 × posts, comments = posts, seed 1.
  Refuses a database that already has users unless --force (which deletes every row first).`

/** `npm run seed`: deterministic demo and benchmark data. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      follows: { type: 'string' },
      posts: { type: 'string' },
      likes: { type: 'string' },
      comments: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const users = count('users', values.users) ?? 1000
  const options = {
    users,
    follows: count('follows', values.follows) ?? users * 10,
    posts: count('posts', values.posts),
    likes: count('likes', values.likes),
    comments: count('comments', values.comments),
    seed: count('seed', values.seed) ?? 1,
  }
  // A bulk load builds indexes over a million rows: the per-statement limits meant for requests would cancel it.
  const config = loadConfig({ DATABASE_QUERY_TIMEOUT: '60m', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: '10m', ...process.env })
  const db = connect(config.database)
  try {
    await migrateToLatest(db)
    if (!(await isEmpty(db))) {
      if (!values.force) throw new ConfigError('the database already has users; pass --force to delete every row and seed again.')
      await wipe(db)
    }
    const started = Date.now()
    const passwordHash = await hashPassword('password123')
    const summary = await seedDatabase(db, { ...options, passwordHash, onProgress: progressBar() })
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    process.stderr.write('\n')
    process.stdout.write(
      `seeded ${summary.users} users, ${summary.follows} follows, ${summary.posts} posts, ${summary.likes} likes, ` +
        `${summary.comments} comments in ${seconds} s\n`,
    )
  } finally {
    await db.destroy()
  }
}

function count(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new ConfigError(`--${name} must be a whole number; got "${raw}".\n${USAGE}`)
  return Number(raw)
}

/** One line on stderr, redrawn in place on a terminal; a line per phase otherwise. */
function progressBar(): (phase: string, done: number, total: number) => void {
  const tty = process.stderr.isTTY
  const started = Date.now()
  let last = ''
  return (phase, done, total) => {
    const fraction = total === 0 ? 1 : done / total
    const filled = Math.round(fraction * 30)
    const line = `${phase.padEnd(9)} [${'#'.repeat(filled)}${' '.repeat(30 - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total} ${((Date.now() - started) / 1000).toFixed(1)} s`
    if (tty) process.stderr.write(`\r${line}`)
    else if (phase !== last || done === total) process.stderr.write(`${line}\n`)
    if (tty && done === total) process.stderr.write('\n')
    last = phase
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error)
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
})
