// `npm run bench`: seeds a dataset, starts the built server as its own process (as `npm start` would),
// and loads each scenario with autocannon from this process. Prints requests/s and latency per scenario.
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_USERS=2000 npm run bench
//   npm run bench -- profile list      (only scenarios whose name contains one of the words)
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { connect } from '../src/db/connect.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { hashPassword } from '../src/modules/auth/passwords.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const USERS = Number(process.env.BENCH_USERS ?? 2000)
const PORT = Number(process.env.BENCH_PORT ?? 8321)
const BASE = `http://127.0.0.1:${PORT}`
const PASSWORD = 'password123'

interface Scenario {
  name: string
  path: string
  auth?: boolean
  method?: 'GET' | 'POST'
  body?: string
}

async function seed(databaseUrl: string): Promise<void> {
  const db = connect({ dialect: 'sqlite', filename: databaseUrl.slice('sqlite:'.length) })
  await migrateToLatest(db)
  const passwordHash = await hashPassword(PASSWORD)
  const now = Date.now()
  const rows = Array.from({ length: USERS }, (_, i) => ({
    username: `user${i}`,
    username_key: `user${i}`,
    email: `user${i}@example.com`,
    email_key: `user${i}@example.com`,
    password_hash: passwordHash,
    first_name: ['Alice', 'Bob', 'Carol', 'Dave', 'Eve'][i % 5]!,
    last_name: `Family${i % 97}`,
    bio: `Engineer number ${i}, interested in distributed systems and APIs`,
    created_at: new Date(now - (USERS - i) * 1000).toISOString(),
    updated_at: new Date(now).toISOString(),
  }))
  for (let start = 0; start < rows.length; start += 500) {
    await db.insertInto('users').values(rows.slice(start, start + 500)).execute()
  }
  // user0 follows the next 200 users and is followed by them.
  const follows = []
  for (let i = 2; i <= Math.min(201, USERS); i++) {
    follows.push({ follower_id: 1, following_id: i, created_at: new Date(now).toISOString() })
    follows.push({ follower_id: i, following_id: 1, created_at: new Date(now).toISOString() })
  }
  await db.insertInto('follows').values(follows).execute()
  const linked = follows.length / 2
  await db.updateTable('users').set({ followers_count: linked, following_count: linked }).where('id', '=', 1).execute()
  await db.updateTable('users').set({ followers_count: 1, following_count: 1 }).where('id', '>=', 2).where('id', '<=', linked + 1).execute()
  await db.destroy()
}

async function startServer(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: { ...process.env, NODE_ENV: 'production', JWT_SECRET: 'bench-secret-0123456789-0123456789-0123', DATABASE_URL: databaseUrl, PORT: String(PORT), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${BASE}/ready`)).ok) return child
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill()
  throw new Error('the server did not start')
}

async function login(): Promise<string> {
  const response = await fetch(`${BASE}/careers/users/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'user0', password: PASSWORD }),
  })
  return ((await response.json()) as { access: string }).access
}

async function load(scenario: Scenario, access: string): Promise<autocannon.Result> {
  const headers: Record<string, string> = {}
  if (scenario.auth) headers.authorization = `Bearer ${access}`
  if (scenario.body) headers['content-type'] = 'application/json'
  return autocannon({
    url: `${BASE}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers,
    body: scenario.body,
    connections: CONNECTIONS,
    duration: DURATION,
  })
}

const scenarios: Scenario[] = [
  { name: 'health', path: '/health' },
  { name: 'profile', path: '/careers/users/user42/' },
  { name: 'me', path: '/careers/users/me/', auth: true },
  { name: 'me-stats', path: '/careers/users/me/stats/', auth: true },
  { name: 'list', path: '/careers/users/?batch_size=10' },
  { name: 'list-auth', path: '/careers/users/?batch_size=10', auth: true },
  { name: 'search', path: '/careers/users/?search=number%2012&batch_size=10' },
  { name: 'followers', path: '/careers/users/user0/followers/?batch_size=20', auth: true },
  { name: 'login', path: '/careers/users/login/', method: 'POST', body: JSON.stringify({ username: 'user1', password: PASSWORD }) },
]

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const selected = only.length > 0 ? scenarios.filter((s) => only.some((word) => s.name.includes(word))) : scenarios
  const dir = mkdtempSync(join(tmpdir(), 'careers-bench-'))
  const databaseUrl = `sqlite:${join(dir, 'bench.sqlite')}`
  await seed(databaseUrl)
  const server = await startServer(databaseUrl)
  try {
    const access = await login()
    console.log(`${USERS} users, ${CONNECTIONS} connections, ${DURATION} s per scenario\n`)
    console.log('scenario    req/s (mean)  latency p50  p99     non-2xx')
    for (const scenario of selected) {
      const result = await load(scenario, access)
      const non2xx = result.non2xx + result.errors
      console.log(
        `${scenario.name.padEnd(12)}${result.requests.average.toFixed(0).padStart(12)}  ${`${result.latency.p50} ms`.padStart(11)}  ${`${result.latency.p99} ms`.padEnd(8)}${String(non2xx).padStart(7)}`,
      )
    }
  } finally {
    server.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
