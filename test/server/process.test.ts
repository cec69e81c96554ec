import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { DIALECT } from '../support/index.js'

// The process as an operator runs it: configuration errors, start, restart and shutdown.
// Dialect-independent, so it runs in the SQLite pass only.
const skip = DIALECT !== 'sqlite'
const SERVER = ['--import', 'tsx', 'src/server.ts']
const workDir = mkdtempSync(join(tmpdir(), 'careers-server-test-'))
after(() => rmSync(workDir, { recursive: true, force: true }))

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...extra,
  }
  return env
}

function runToExit(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, SERVER, { env: baseEnv(env), encoding: 'utf8', timeout: 30_000 })
  return { status: result.status, stderr: result.stderr }
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000))
  const child = spawn(process.execPath, SERVER, { env: baseEnv({ PORT: port, ...env }), stdio: ['ignore', 'ignore', 'pipe'] })
  const base = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${base}/health`, { headers: { connection: 'close' } })).ok) return { child, base }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error('the server did not start')
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

describe('configuration', { skip }, () => {
  it('has the documented defaults', () => {
    const config = loadConfig({})
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.port, 8000)
    assert.deepEqual(config.database, { dialect: 'sqlite', filename: './data/careers.sqlite' })
    assert.equal(config.accessTokenTtlSeconds, 3600)
    assert.equal(config.refreshTokenTtlSeconds, 7 * 86400)
  })

  it('reads durations, pool size and database URLs', () => {
    const config = loadConfig({
      ACCESS_TOKEN_TTL: '15m',
      REFRESH_TOKEN_TTL: '1d',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      DATABASE_POOL_MAX: '20',
    })
    assert.equal(config.accessTokenTtlSeconds, 900)
    assert.equal(config.refreshTokenTtlSeconds, 86400)
    assert.deepEqual(
      { ...config.database, connectTimeoutMs: 0, queryTimeoutMs: 0, idleInTransactionTimeoutMs: 0 },
      {
        dialect: 'postgres',
        connectionString: 'postgres://u:p@db:5432/app',
        poolMax: 20,
        connectTimeoutMs: 0,
        queryTimeoutMs: 0,
        idleInTransactionTimeoutMs: 0,
      },
    )
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database, { dialect: 'sqlite', filename: ':memory:' })
  })

  for (const [label, env] of [
    ['production without JWT_SECRET', { NODE_ENV: 'production' }],
    ['a short JWT_SECRET', { JWT_SECRET: 'short' }],
    ['a bad PORT', { PORT: 'eighty' }],
    ['a PORT out of range', { PORT: '70000' }],
    ['an unknown database scheme', { DATABASE_URL: 'mysql://localhost/db' }],
    ['a bad duration', { ACCESS_TOKEN_TTL: '-5' }],
    ['a bad log level', { LOG_LEVEL: 'loud' }],
  ] as const) {
    it(`refuses ${label} with one sentence`, () => {
      assert.throws(() => loadConfig(env), ConfigError)
    })
  }
})

describe('the server process', { skip }, () => {
  it('refuses to start in production without JWT_SECRET: one clear line, exit code 1, no stack trace', () => {
    const { status, stderr } = runToExit({ NODE_ENV: 'production', DATABASE_URL: 'sqlite::memory:' })
    assert.equal(status, 1)
    const lines = stderr
      .trim()
      .split('\n')
      .filter((line) => !line.includes('ExperimentalWarning'))
    assert.equal(lines.length, 1, stderr)
    assert.match(lines[0]!, /^error: JWT_SECRET is required when NODE_ENV=production/)
    assert.doesNotMatch(stderr, /\bat .*\.(ts|js):\d+/)
  })

  it('refuses an invalid PORT the same way', () => {
    const { status, stderr } = runToExit({ PORT: 'x', DATABASE_URL: 'sqlite::memory:' })
    assert.equal(status, 1)
    assert.match(stderr, /^error: PORT must be a whole number/m)
    assert.doesNotMatch(stderr, /\bat .*\.(ts|js):\d+/)
  })

  it('creates the data folder, keeps a generated secret so tokens survive a restart, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(workDir, 'nested', 'data')
    const env = { DATABASE_URL: `sqlite:${join(dataDir, 'careers.sqlite')}` }

    const first = await startServer(env)
    const registered = await fetch(`${first.base}/careers/users/register/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({
        username: 'restart',
        email: 'restart@example.com',
        password: 'password123',
        password_confirm: 'password123',
      }),
    })
    assert.equal(registered.status, 201)
    const { access } = (await registered.json()) as { access: string }
    const secretFile = join(dataDir, 'jwt-secret')
    assert.equal(statSync(secretFile).mode & 0o777, 0o600)
    first.child.kill('SIGTERM')
    assert.equal(await exited(first.child), 0)

    const second = await startServer(env)
    const me = await fetch(`${second.base}/careers/users/me/`, {
      headers: { authorization: `Bearer ${access}`, connection: 'close' },
    })
    assert.equal(me.status, 200)
    assert.equal(((await me.json()) as { username: string }).username, 'restart')

    // A request in flight when SIGTERM arrives (headers in, body still coming) is answered; then the process exits 0.
    const body = JSON.stringify({ username: 'restart', password: 'password123' })
    const inFlight = new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${second.base}/careers/users/login/`, {
        agent: new Agent({ keepAlive: true }),
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      })
      request.on('response', (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
      request.on('error', reject)
      request.write(body.slice(0, 10))
      setTimeout(() => {
        second.child.kill('SIGTERM')
        setTimeout(() => request.end(body.slice(10)), 300)
      }, 300)
    })
    assert.equal(await inFlight, 200)
    const stoppedAt = Date.now()
    assert.equal(await exited(second.child), 0)
    assert.ok(Date.now() - stoppedAt < 5000, 'a kept-alive connection does not hold the shutdown open')
  })

  it('`npm run db:migrate` applies pending migrations once', () => {
    const env = { ...baseEnv({ DATABASE_URL: `sqlite:${join(workDir, 'migrate', 'db.sqlite')}` }) }
    const first = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], { env, encoding: 'utf8' })
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stdout, /^applied: 2026_11_26_0001_users_and_sessions, /)
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], { env, encoding: 'utf8' })
    assert.equal(second.status, 0, second.stderr)
    assert.equal(second.stdout.trim(), 'the database is up to date')
  })
})
