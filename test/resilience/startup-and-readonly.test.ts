import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { connect } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { DIALECT, JWT_SECRET, register } from '../helper.js'

// A start against a PostgreSQL address that accepts and never answers gives up with one line; a SQLite file
// that cannot be written makes /ready and writes answer 503 while reads keep working.
const skip =
  DIALECT !== 'sqlite' ? 'runs in the SQLite pass (the start test needs no PostgreSQL, the file test is SQLite)' : false
const workDir = mkdtempSync(join(tmpdir(), 'careers-resilience-'))
after(() => rmSync(workDir, { recursive: true, force: true }))

describe('start against a silent database', { skip }, () => {
  it('exits 1 with one sentence on stderr within the configured bound', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    try {
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: `postgres://careers@127.0.0.1:${port}/careers`,
        DATABASE_CONNECT_TIMEOUT: '1s',
        STARTUP_TIMEOUT: '2s',
        PORT: '0',
      }
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      let connectedAt = 0
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      silent.on('connection', () => (connectedAt ||= Date.now()))
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      const afterConnect = Date.now() - connectedAt
      assert.equal(code, 1)
      assert.ok(connectedAt > 0, 'the server tried the database')
      // Measured from its first connection attempt, so that loading the code on a busy machine does not count.
      assert.ok(afterConnect < 2500, `gave up ${afterConnect} ms after connecting`)
      const lines = stderr
        .trim()
        .split('\n')
        .filter((line) => !line.includes('ExperimentalWarning'))
      assert.equal(lines.length, 1, stderr)
      assert.match(lines[0]!, /^error: Could not prepare the database \(.*timeout.*\)\.$/)
    } finally {
      for (const socket of sockets) socket.destroy()
      silent.close()
    }
  })
})

describe('a SQLite file that cannot be written', { skip }, () => {
  it('/ready and writes answer 503, reads answer 200', async () => {
    const dir = join(workDir, 'readonly')
    const file = join(dir, 'careers.sqlite')
    const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, JWT_SECRET, LOG_LEVEL: 'silent' })
    let db = connect(config.database)
    await migrateToLatest(db)
    let app = await buildApp({ config, db })
    const account = await register(app)
    await app.close()

    chmodSync(workDir, 0o755)
    chmodSync(dir, 0o777)
    chmodSync(file, 0o444)
    // root ignores file modes: open it as nobody, as an unprivileged service account would.
    const asNobody = process.getuid?.() === 0
    if (asNobody) process.seteuid!(65534)
    try {
      db = connect(config.database)
    } finally {
      if (asNobody) process.seteuid!(0)
    }
    app = await buildApp({ config, db })
    try {
      const ready = await app.inject({ method: 'GET', url: '/ready' })
      assert.equal(ready.statusCode, 503)
      assert.deepEqual(ready.json(), { status: 'unavailable' })

      const read = await app.inject({ method: 'GET', url: `/careers/users/${account.username}/`, headers: account.auth })
      assert.equal(read.statusCode, 200, read.body)

      const write = await app.inject({
        method: 'PATCH',
        url: '/careers/users/me/update/',
        headers: account.auth,
        payload: { bio: 'x' },
      })
      assert.equal(write.statusCode, 503, write.body)
      assert.deepEqual(write.json(), { detail: 'Service temporarily unavailable.' })
      const signup = await app.inject({
        method: 'POST',
        url: '/careers/users/register/',
        payload: { username: 'ro_user', email: 'ro@example.com', password: 'password123', password_confirm: 'password123' },
      })
      assert.equal(signup.statusCode, 503, signup.body)
    } finally {
      await app.close()
    }
  })
})
