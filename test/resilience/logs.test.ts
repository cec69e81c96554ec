import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { buildTestApp, DIALECT, register, type TestApp } from '../helper.js'

// A full SQLite database (max_page_count reached, as with a full disk): writes answer 503, the log names
// SQLITE_FULL once (not the failed ROLLBACK after it), and identical lines are rate-limited.
const skip = DIALECT !== 'sqlite' ? 'SQLite only: fills the database with max_page_count' : false
const lines: Record<string, unknown>[] = []
let testApp: TestApp

before(async () => {
  if (skip) return
  testApp = await buildTestApp(
    { LOG_LEVEL: 'info' },
    { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  )
})
after(async () => testApp?.close())

describe('logs during a dependency failure', { skip }, () => {
  it('name the cause once per second, with a count of the lines left out', async () => {
    const { app, db } = testApp
    const account = await register(app)
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db)
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db)

    // Distinct text each time: the trigram search index needs new pages for it.
    const bio = (i: number): string =>
      Array.from({ length: 60 }, (_, j) => ((i * 7919 + j * 104729) % 1_000_003).toString(36))
        .join(' ')
        .slice(0, 450)
    const statuses: number[] = []
    const started = Date.now()
    for (let i = 0; i < 20; i++) {
      const response = await app.inject({
        method: 'PATCH',
        url: '/careers/users/me/update/',
        headers: account.auth,
        payload: { bio: bio(i) },
      })
      statuses.push(response.statusCode)
      if (response.statusCode === 503) assert.deepEqual(response.json(), { detail: 'Service temporarily unavailable.' })
    }
    assert.ok(statuses.filter((status) => status === 503).length >= 15, statuses.join(' '))
    const read = await app.inject({ method: 'GET', url: `/careers/users/${account.username}/`, headers: account.auth })
    assert.equal(read.statusCode, 200)

    await new Promise((resolve) => setTimeout(resolve, 1200))
    const failures = lines.filter((line) => line.msg === 'database unavailable' || line.msg === 'database unavailable (repeated)')
    const seconds = Math.ceil((Date.now() - started) / 1000)
    assert.ok(failures.length >= 2 && failures.length <= seconds + 1, `${failures.length} lines in ${seconds} s`)
    for (const failure of failures) assert.equal((failure.cause as { code: string }).code, 'SQLITE_FULL')
    // Each names the request it came from, whose access line shows the 503.
    const failed = new Set(lines.filter((line) => line.msg === 'request' && line.statusCode === 503).map((line) => line.reqId))
    for (const failure of failures)
      assert.ok(typeof failure.reqId === 'string' && failed.has(failure.reqId), String(failure.reqId))
    // Every failed request is accounted for: the lines written plus the ones they say were left out.
    const accounted = failures.reduce(
      (sum, failure) => sum + (failure.msg === 'database unavailable' ? 1 : Number(failure.suppressed)),
      0,
    )
    assert.equal(accounted, statuses.filter((status) => status === 503).length)
    const everything = JSON.stringify(lines)
    assert.doesNotMatch(everything, /cannot rollback/)
    assert.doesNotMatch(everything, /"stack"/)
  })
})
