// `npm run bench`: the built server on a seeded dataset against two baselines measured in the same run.
//   npm run bench -- --users 20000 --duration 10 [--posts P] [--connections 50] [--seed 1] [--server dist/server.js] [profile me …]
// The dataset is built once per size and seed with `npm run seed` and kept in data/bench/. Each server runs in
// its own process pinned to core 0 and the load generator (autocannon) to core 1, when `taskset` exists.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    users: { type: 'string', default: '20000' },
    follows: { type: 'string' },
    posts: { type: 'string' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    server: { type: 'string', default: 'dist/server.js' },
  },
})
const USERS = Number(values.users)
const FOLLOWS = Number(values.follows ?? USERS * 10)
/** Posts to seed; the seed's default (users / 10) when not given. */
const POSTS = values.posts === undefined ? undefined : Number(values.posts)
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const PINNED = spawnSync('taskset', ['-c', '0', 'true']).status === 0
const FRAGMENTS = [
  'son',
  'ann',
  'mar',
  'eng',
  'dev',
  'ing',
  'ter',
  'ric',
  'and',
  'lee',
  'ell',
  'ber',
  'ist',
  'ata',
  'ion',
  'ent',
  'ste',
  'ers',
  'pro',
  'sys',
  'web',
  'ops',
  'des',
  'sec',
  'man',
  'ine',
  'ver',
  'tha',
  'ica',
  'ada',
]

interface Result {
  rps: number
  p50: number
  p99: number
  non2xx: number
}
interface Scenario {
  name: string
  paths: string[]
  auth?: boolean
  method?: 'GET' | 'POST'
  body?: string
  connections?: number
  /** Skipped when the first path answers 404 (a route that does not exist yet). */
  optional?: boolean
}

function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return PINNED ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

function dataset(): string {
  const dir = resolve('data/bench')
  const posts = POSTS === undefined ? '' : `-posts${POSTS}`
  const file = join(dir, `users${USERS}-follows${FOLLOWS}${posts}-seed${values.seed}.sqlite`)
  if (existsSync(file)) return file
  mkdirSync(dir, { recursive: true })
  const partial = `${file}.partial`
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true })
  const seeded = spawnSync(
    process.execPath,
    [
      'dist/cli/seed.js',
      '--users',
      String(USERS),
      '--follows',
      String(FOLLOWS),
      ...(POSTS === undefined ? [] : ['--posts', String(POSTS)]),
      '--seed',
      values.seed!,
    ],
    {
      env: { ...process.env, DATABASE_URL: `sqlite:${partial}` },
      stdio: 'inherit',
    },
  )
  if (seeded.status !== 0) throw new Error('seeding failed')
  // A checkpointed single file: the WAL of the seeding connection is folded in when it closes.
  renameSync(partial, file)
  return file
}

async function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort()
  const [command, argv] = pinned(0, process.execPath, args)
  const child = spawn(command, argv, {
    // The login scenario measures password hashing, not the limiter: one client IP would be throttled at once.
    env: { RATE_LIMITS: 'off', ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(`${base}/careers/users/user000001/`)
      return { child, base }
    } catch {
      await new Promise((done) => setTimeout(done, 100))
    }
  }
  child.kill('SIGKILL')
  throw new Error(`${args.join(' ')} did not start`)
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done))
  child.kill('SIGTERM')
  await exited
}

function load(base: string, scenario: Scenario, access: string): Result {
  const spec = {
    base,
    paths: scenario.paths,
    method: scenario.method,
    headers: {
      ...(scenario.auth ? { authorization: `Bearer ${access}` } : {}),
      ...(scenario.body ? { 'content-type': 'application/json' } : {}),
    },
    body: scenario.body,
    connections: scenario.connections ?? CONNECTIONS,
    duration: DURATION,
  }
  const [command, argv] = pinned(1, process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)])
  const run = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Result
}

const scenarios: Scenario[] = [
  { name: 'profile', paths: ['/careers/users/user000042/'] },
  { name: 'me', paths: ['/careers/users/me/'], auth: true },
  ...[0, 50, 99].map((batch) => ({ name: `list b${batch}`, paths: [`/careers/users/?batch_size=10&batch_number=${batch}`] })),
  { name: 'search', paths: FRAGMENTS.map((fragment) => `/careers/users/?search=${fragment}&batch_size=10`) },
  { name: 'followers', paths: ['/careers/users/user000001/followers/?batch_size=20'] },
  { name: 'posts list', paths: ['/careers/?batch_size=10'], optional: true },
  { name: 'feed', paths: ['/careers/users/me/feed/?batch_size=10'], auth: true, optional: true },
  {
    name: 'login c=4',
    paths: ['/careers/users/login/'],
    method: 'POST',
    body: JSON.stringify({ username: 'user000002', password: 'password123' }),
    connections: 4,
  },
]

function row(name: string, result: Result, bareRps: number, limitRps: number, profileRps?: number): string {
  const cells = [
    name.padEnd(14),
    result.rps.toFixed(0).padStart(8),
    `${result.p50}`.padStart(6),
    `${result.p99}`.padStart(6),
    (result.rps / bareRps).toFixed(2).padStart(8),
    (result.rps / limitRps).toFixed(2).padStart(9),
    (profileRps === undefined ? '' : (result.rps / profileRps).toFixed(2)).padStart(11),
    String(result.non2xx).padStart(7),
  ]
  return cells.join('  ')
}

async function main(): Promise<void> {
  const file = dataset()
  const wanted = (name: string): boolean => positionals.length === 0 || positionals.some((word) => name.includes(word))
  const measure = async (args: string[], env: Record<string, string>, scenario: Scenario): Promise<Result> => {
    const server = await start(args, env)
    try {
      return load(server.base, scenario, '')
    } finally {
      await stop(server.child)
    }
  }
  const profile = scenarios[0]!
  const bare = await measure(['--import', 'tsx', 'bench/baselines/bare-json.ts'], {}, profile)
  const limit = await measure(['--import', 'tsx', 'bench/baselines/sqlite-profile.ts'], { DATABASE_FILE: file }, profile)

  console.log(
    `${USERS} users, ${FOLLOWS} follows, seed ${values.seed}; c=${CONNECTIONS}, ${DURATION} s per scenario; ` +
      `${PINNED ? 'server on core 0, load on core 1' : 'not pinned (no taskset)'}; server ${values.server}`,
  )
  console.log(
    `${'scenario'.padEnd(14)}  ${'req/s'.padStart(8)}  ${'p50'.padStart(6)}  ${'p99'.padStart(6)}  ${'÷ bare'.padStart(8)}  ${'÷ limit'.padStart(9)}  ${'÷ profile'.padStart(11)}  ${'non-2xx'.padStart(7)}`,
  )
  console.log(row('(a) bare json', bare, bare.rps, limit.rps))
  console.log(row('(b) limit', limit, bare.rps, limit.rps))

  const server = await start([values.server!], {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-0123456789-0123456789-0123',
    DATABASE_URL: `sqlite:${file}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  })
  try {
    const login = await fetch(`${server.base}/careers/users/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'user000001', password: 'password123' }),
    })
    const { access } = (await login.json()) as { access: string }
    let profileRps: number | undefined
    for (const scenario of scenarios.filter((s) => wanted(s.name))) {
      if (scenario.optional) {
        const probe = await fetch(`${server.base}${scenario.paths[0]}`, {
          headers: scenario.auth ? { authorization: `Bearer ${access}` } : {},
        })
        if (probe.status === 404) {
          console.log(`${scenario.name.padEnd(14)}  skipped: the route answers 404 (not built yet)`)
          continue
        }
      }
      const result = load(server.base, scenario, access)
      if (scenario.name === 'profile') profileRps = result.rps
      console.log(row(scenario.name, result, bare.rps, limit.rps, profileRps))
    }
  } finally {
    await stop(server.child)
  }
}

await main()
