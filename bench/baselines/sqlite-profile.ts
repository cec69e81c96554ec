// Baseline (b): bare Fastify + better-sqlite3 doing the profile lookup with one cached prepared statement,
// on the same database file. The limit for the profile route on this stack.
import Database from 'better-sqlite3'
import Fastify from 'fastify'

const db = new Database(process.env.DATABASE_FILE!, { readonly: true })
db.pragma('journal_mode = WAL')
const byUsername = db.prepare(`select id, username, first_name, last_name, bio, avatar, created_at, posts_count,
  followers_count, following_count from users where username_key = ? and is_active = 1`)

const app = Fastify({ logger: false })
app.get<{ Params: { username: string } }>('/careers/users/:username/', async (request, reply) => {
  const row = byUsername.get(request.params.username.toLowerCase())
  if (row === undefined) return reply.code(404).send({ detail: 'Not found.' })
  return row
})
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
