// `npm run bench`: the built server on a seeded dataset against two baselines measured in the same run.
//   npm run bench -- --users 20000 --duration 10 [--posts P] [--connections 50] [--rounds 3] [--seed 1]
//                    [--server dist/server.js] [profile me …]
// The dataset is built once per size and seed with `npm run seed` and kept in data/bench/. Each server runs in
// its own process pinned to core 0 and the load generator (wrk, or autocannon) to core 1, when `taskset` exists.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { FRAGMENTS } from './fragments.js'

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
    rounds: { type: 'string', default: '3' },
  },
})
const USERS = Number(values.users)
const FOLLOWS = Number(values.follows ?? USERS * 10)
/** Posts to seed; the seed's default (users / 10) when not given. */
const POSTS = values.posts === undefined ? undefined : Number(values.posts)
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const ROUNDS = Number(values.rounds)
const PINNED = spawnSync('taskset', ['-c', '0', 'true']).status === 0

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

// Moves when what the seed writes changes, so that an older dataset is not reused (2: passwords hashed with
// argon2id at 12 MiB × 3, which the login scenario measures).
const DATASET_VERSION = 2

function dataset(): string {
  const dir = resolve('data/bench')
  const posts = POSTS === undefined ? '' : `-posts${POSTS}`
  const file = join(dir, `users${USERS}-follows${FOLLOWS}${posts}-seed${values.seed}-v${DATASET_VERSION}.sqlite`)
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

/** The Node.js options `npm start` runs the server with (its `node … dist/server.js`), so that the bench measures the same. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'))
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
    // A server that failed to start (its reason is on stderr) is not waited for.
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with code ${child.exitCode} before it answered`)
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

function load(base: string, scenario: Scenario, access: string, duration = DURATION): Result {
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
    duration,
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
  // The same pages for a signed-in caller: is_following is looked up for each page and the answer is their own.
  { name: 'list b50 +token', paths: ['/careers/users/?batch_size=10&batch_number=50'], auth: true },
  { name: 'search +token', paths: FRAGMENTS.map((fragment) => `/careers/users/?search=${fragment}&batch_size=10`), auth: true },
  { name: 'followers +token', paths: ['/careers/users/user000001/followers/?batch_size=20'], auth: true },
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

/** Medians of each round's figures; ratios are medians of each round's own ratios (so drift cancels). */
interface Summary {
  rps: number
  p50: number
  p99: number
  non2xx: number
  toBare: number
  toLimit: number
  toProfile?: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function summarize(rounds: Result[], bare: Result[], limit: Result[], profile?: Result[]): Summary {
  const ratio = (to: Result[]) => median(rounds.map((result, index) => result.rps / to[index]!.rps))
  return {
    rps: median(rounds.map((result) => result.rps)),
    p50: median(rounds.map((result) => result.p50)),
    p99: median(rounds.map((result) => result.p99)),
    non2xx: rounds.reduce((sum, result) => sum + result.non2xx, 0),
    toBare: ratio(bare),
    toLimit: ratio(limit),
    toProfile: profile === undefined ? undefined : ratio(profile),
  }
}

function row(name: string, summary: Summary): string {
  const cells = [
    name.padEnd(16),
    summary.rps.toFixed(0).padStart(8),
    summary.p50.toFixed(1).padStart(6),
    summary.p99.toFixed(1).padStart(6),
    summary.toBare.toFixed(2).padStart(8),
    summary.toLimit.toFixed(2).padStart(9),
    (summary.toProfile === undefined ? '' : summary.toProfile.toFixed(2)).padStart(11),
    String(summary.non2xx).padStart(7),
  ]
  return cells.join('  ')
}

async function main(): Promise<void> {
  const file = dataset()
  const wanted = (name: string): boolean => positionals.length === 0 || positionals.some((word) => name.includes(word))
  // All three servers run side by side on the same core and are measured in turn, round after round: a
  // shared machine's speed drifts by tens of percent within minutes, and each ratio is taken within a round.
  const bare = await start(['--import', 'tsx', 'bench/baselines/bare-json.ts'], {})
  const limit = await start(['--import', 'tsx', 'bench/baselines/sqlite-profile.ts'], { DATABASE_FILE: file })
  const server = await start([...startFlags(), values.server!], {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-0123456789-0123456789-0123',
    DATABASE_URL: `sqlite:${file}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  }).catch(async (error: unknown) => {
    await Promise.all([stop(bare.child), stop(limit.child)])
    throw error
  })
  try {
    const login = await fetch(`${server.base}/careers/users/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'user000001', password: 'password123' }),
    })
    const { access } = (await login.json()) as { access: string }
    const chosen: Scenario[] = []
    for (const scenario of scenarios.filter((s) => wanted(s.name))) {
      if (scenario.optional) {
        const probe = await fetch(`${server.base}${scenario.paths[0]}`, {
          headers: scenario.auth ? { authorization: `Bearer ${access}` } : {},
        })
        if (probe.status === 404) {
          console.log(`${scenario.name.padEnd(16)}  skipped: the route answers 404 (not built yet)`)
          continue
        }
      }
      chosen.push(scenario)
    }
    const profile = scenarios[0]!
    const runs = { bare: [] as Result[], limit: [] as Result[], byName: new Map<string, Result[]>() }
    // One second of each first, so that no round-1 figure includes compiling the code it runs.
    load(bare.base, profile, '', 1)
    load(limit.base, profile, '', 1)
    for (const scenario of chosen) load(server.base, scenario, access, 1)
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`round ${round} of ${ROUNDS}\n`)
      runs.bare.push(load(bare.base, profile, ''))
      runs.limit.push(load(limit.base, profile, ''))
      for (const scenario of chosen) {
        const results = runs.byName.get(scenario.name) ?? []
        results.push(load(server.base, scenario, access))
        runs.byName.set(scenario.name, results)
      }
    }

    console.log(
      `${USERS} users, ${FOLLOWS} follows, seed ${values.seed}; c=${CONNECTIONS}, ${DURATION} s per scenario and round, ` +
        `${ROUNDS} rounds (medians); ${PINNED ? 'servers on core 0, load on core 1' : 'not pinned (no taskset)'}; server ${values.server}`,
    )
    console.log(
      `${'scenario'.padEnd(16)}  ${'req/s'.padStart(8)}  ${'p50'.padStart(6)}  ${'p99'.padStart(6)}  ${'÷ bare'.padStart(8)}  ${'÷ limit'.padStart(9)}  ${'÷ profile'.padStart(11)}  ${'non-2xx'.padStart(7)}`,
    )
    console.log(row('(a) bare json', summarize(runs.bare, runs.bare, runs.limit)))
    console.log(row('(b) limit', summarize(runs.limit, runs.bare, runs.limit)))
    const profileRuns = runs.byName.get('profile')
    for (const scenario of chosen) {
      console.log(row(scenario.name, summarize(runs.byName.get(scenario.name)!, runs.bare, runs.limit, profileRuns)))
    }
  } finally {
    await Promise.all([stop(server.child), stop(limit.child), stop(bare.child)])
  }
}

await main()
