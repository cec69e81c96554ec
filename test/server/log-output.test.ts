import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { DIALECT } from '../support/index.js'

// Log lines are written in batches: a quiet server's line still appears within a second or so, and every
// line of a busy one is written by the time it has shut down. Dialect-independent: SQLite pass only.
const skip = DIALECT !== 'sqlite'
const workDir = mkdtempSync(join(tmpdir(), 'careers-log-test-'))
after(() => rmSync(workDir, { recursive: true, force: true }))

describe('log output of the server process', { skip }, () => {
  it('writes a lone line within two seconds and every line by the end of shutdown', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000))
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'info',
        DATABASE_URL: `sqlite:${join(workDir, 'log.sqlite')}`,
        JWT_SECRET: 'log-test-secret-0123456789-0123456789',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const exited = new Promise<number | null>((done) => child.once('exit', done))
    const base = `http://127.0.0.1:${port}`
    const lines = (): Record<string, unknown>[] =>
      output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    const accessLines = (url: string): number => lines().filter((line) => line.msg === 'request' && line.url === url).length
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if ((await fetch(`${base}/health`)).ok) break
        } catch {
          if (attempt > 300) throw new Error('the server did not start')
          await new Promise((done) => setTimeout(done, 100))
        }
      }
      assert.equal((await fetch(`${base}/careers/users/lonely/`)).status, 404)
      const deadline = Date.now() + 2000
      while (accessLines('/careers/users/lonely/') === 0 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 50))
      }
      assert.equal(accessLines('/careers/users/lonely/'), 1, 'the line of a single request was not written within 2 s')

      // More than one batch (64 KiB, about 300 lines), the last one partial.
      for (let batch = 0; batch < 30; batch++) {
        await Promise.all(Array.from({ length: 25 }, () => fetch(`${base}/careers/users/busy/`)))
      }
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
    assert.equal(accessLines('/careers/users/busy/'), 750)
    assert.ok(lines().some((line) => line.msg === 'shutting down: finishing in-flight requests'))
  })
})
