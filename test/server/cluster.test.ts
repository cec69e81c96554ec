import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { DIALECT } from '../support/index.js'

// WEB_CONCURRENCY=2: two workers behind one port, one migration, graceful shutdown of all. SQLite pass only.
const dir = mkdtempSync(join(tmpdir(), 'careers-cluster-test-'))
after(() => rmSync(dir, { recursive: true, force: true }))

// Worker processes only: tsx also starts an esbuild service process under the primary.
function children(pid: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(pid), '-f', 'src/server.ts'], { encoding: 'utf8' }).stdout
  return out.split('\n').filter(Boolean).map(Number)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('WEB_CONCURRENCY', { skip: DIALECT !== 'sqlite' }, () => {
  it('serves from two workers on one port and stops them all on SIGTERM, exit 0', async (t) => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000))
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: port,
        LOG_LEVEL: 'warn',
        WEB_CONCURRENCY: '2',
        DATABASE_URL: `sqlite:${join(dir, 'c.sqlite')}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    // A failed assertion must not leave the cluster running (it would keep the test file alive).
    t.after(() => {
      for (const pid of [...children(child.pid!), child.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL')
    })
    const base = `http://127.0.0.1:${port}`
    let ready = false
    for (let attempt = 0; attempt < 600 && !ready; attempt++) {
      ready = await fetch(`${base}/ready`, { headers: { connection: 'close' } }).then(
        (r) => r.ok,
        () => false,
      )
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.ok(ready, 'the cluster did not start')
    // Wait for both workers to be up before checking them (the second may still be starting).
    for (let attempt = 0; attempt < 300 && children(child.pid!).length < 2; attempt++)
      await new Promise((r) => setTimeout(r, 100))
    const workers = children(child.pid!)
    assert.equal(workers.length, 2)

    const registered = await fetch(`${base}/careers/users/register/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({
        username: 'clustered',
        email: 'c@example.com',
        password: 'password123',
        password_confirm: 'password123',
      }),
    })
    assert.equal(registered.status, 201)
    const { access } = (await registered.json()) as { access: string }
    // Tokens signed by one worker are accepted by the other: they share the secret the primary resolved.
    for (let i = 0; i < 10; i++) {
      const me = await fetch(`${base}/careers/users/me/`, { headers: { authorization: `Bearer ${access}`, connection: 'close' } })
      assert.equal(me.status, 200)
    }

    child.kill('SIGTERM')
    assert.equal(await exit, 0)
    assert.deepEqual(workers.filter(alive), [])
  })
})
