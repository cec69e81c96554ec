import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { connect } from '../../src/db/connect.js'
import { DIALECT, JWT_SECRET, register } from '../helper.js'
import { migrateTestDatabase } from '../support/app.js'
import { Relay } from './relay.js'

// PostgreSQL connections cut (reset) and frozen by a relay between the app and the server: the process
// survives, requests fail fast with 503, /ready answers 503 within its bound, and all recovers without a restart.
const skip = DIALECT !== 'postgres' ? 'PostgreSQL only: runs in the PostgreSQL pass (TEST_DATABASE_URL)' : false
const UNAVAILABLE = { detail: 'Service temporarily unavailable.' }

let relay: Relay
let app: FastifyInstance
let dropSchema: () => Promise<void> = async () => {}

before(async () => {
  if (skip) return
  const base = new URL(process.env.TEST_DATABASE_URL!)
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base.toString() })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.query('create extension if not exists pg_trgm with schema public').catch(() => {})
  dropSchema = async () => {
    await admin.query(`drop schema ${schema} cascade`)
    await admin.end()
  }
  relay = new Relay(base.hostname, Number(base.port || 5432))
  const direct = new URL(base)
  direct.searchParams.set('options', `-c search_path=${schema},public`)
  // Migrated directly, with the usual timeouts: the 1 s ones below are for the outage, not for queueing behind
  // other test files' migrations.
  const migrator = connect(loadConfig({ DATABASE_URL: direct.toString(), JWT_SECRET }).database)
  try {
    await migrateTestDatabase(migrator)
  } finally {
    await migrator.destroy()
  }
  const url = new URL(direct)
  url.host = `127.0.0.1:${await relay.listen()}`
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_POOL_MAX: '4',
    DATABASE_CONNECT_TIMEOUT: '1s',
    DATABASE_QUERY_TIMEOUT: '1s',
    READY_TIMEOUT: '500ms',
  })
  app = await buildApp({ config, db: connect(config.database) })
  await app.ready()
})

after(async () => {
  if (skip) return
  relay.thaw()
  await app.close()
  await relay.close()
  await dropSchema()
})

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now()
  const result = await work()
  return [result, Date.now() - started]
}

async function recovers(url: string, withinMs: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const response = await app.inject({ method: 'GET', url })
    if (response.statusCode === 200) return Date.now() - started
    assert.equal(response.statusCode, 503, response.body)
    if (Date.now() - started > withinMs) assert.fail(`${url} still ${response.statusCode} after ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('PostgreSQL outages', { skip }, () => {
  it('connections reset under 16 concurrent clients: no crash, only 2xx or 503, then back at once', async () => {
    const account = await register(app)
    const statuses = new Map<number, number>()
    let running = true
    const client = async (): Promise<void> => {
      while (running) {
        const response = await app.inject({ method: 'GET', url: `/careers/users/${account.username}/`, headers: account.auth })
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
        if (response.statusCode === 503) assert.deepEqual(response.json(), UNAVAILABLE)
      }
    }
    const clients = Array.from({ length: 16 }, client)
    for (let cut = 0; cut < 6; cut++) {
      await new Promise((resolve) => setTimeout(resolve, 150))
      relay.reset()
    }
    running = false
    await Promise.all(clients)
    assert.deepEqual(
      [...statuses.keys()].filter((status) => status !== 200 && status !== 503),
      [],
      JSON.stringify([...statuses]),
    )
    assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(503) ?? 0) > 0, JSON.stringify([...statuses]))
    assert.ok((await recovers(`/careers/users/${account.username}/`, 2000)) < 2000)
    assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
  })

  it('a frozen database: 503 within the timeouts, /ready 503 within 1 s, reads back within 5 s of the thaw', async () => {
    const account = await register(app)
    const url = `/careers/users/${account.username}/`
    relay.freeze()
    try {
      const [ready, readyMs] = await timed(() => app.inject({ method: 'GET', url: '/ready' }))
      assert.equal(ready.statusCode, 503)
      assert.deepEqual(ready.json(), { status: 'unavailable' })
      assert.ok(readyMs < 1000, `/ready took ${readyMs} ms`)

      const [reads, readsMs] = await timed(() => Promise.all(Array.from({ length: 8 }, () => app.inject({ method: 'GET', url }))))
      for (const read of reads) {
        assert.equal(read.statusCode, 503, read.body)
        assert.deepEqual(read.json(), UNAVAILABLE)
      }
      // Query timeout 1 s (+0.5 s on the client), then connect timeout 1 s for those waiting for a connection.
      assert.ok(readsMs < 4000, `frozen reads took ${readsMs} ms`)
      const [again, againMs] = await timed(() => app.inject({ method: 'GET', url: '/ready' }))
      assert.equal(again.statusCode, 503)
      assert.ok(againMs < 1000, `/ready took ${againMs} ms`)
    } finally {
      relay.thaw()
    }
    assert.ok((await recovers(url, 5000)) < 5000)
    assert.ok((await recovers('/ready', 5000)) < 5000)
  })
})
