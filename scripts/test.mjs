// `npm test`: the HTTP suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
// Prints one count line per dialect and a closing total line.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const files = readdirSync('test', { recursive: true })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => join('test', file))
  .sort()
const filter = process.argv.slice(2)
const selected = filter.length > 0 ? files.filter((file) => filter.some((part) => file.includes(part))) : files

const dialects = [{ name: 'sqlite', env: { TEST_DIALECT: 'sqlite' } }]
if (process.env.TEST_DATABASE_URL) dialects.push({ name: 'postgres', env: { TEST_DIALECT: 'postgres' } })

const totals = { pass: 0, fail: 0, skipped: 0 }
const lines = []
for (const dialect of dialects) {
  const dir = mkdtempSync(join(tmpdir(), 'careers-test-'))
  const tap = join(dir, 'report.tap')
  console.log(`\n=== ${dialect.name}: ${selected.length} test files ===`)
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...selected,
    ],
    { stdio: 'inherit', env: { ...process.env, ...dialect.env } },
  )
  const report = readFileSync(tap, 'utf8')
  rmSync(dir, { recursive: true, force: true })
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0)
  const pass = count('pass')
  const fail = count('fail') + count('cancelled') + (run.status !== 0 && count('fail') === 0 ? 1 : 0)
  const skipped = count('skipped')
  totals.pass += pass
  totals.fail += fail
  totals.skipped += skipped
  lines.push(`${dialect.name}: ${pass} passed, ${fail} failed, ${skipped} skipped`)
}
if (!process.env.TEST_DATABASE_URL) lines.push('postgres: suite skipped (TEST_DATABASE_URL is not set)')
if (!process.env.TEST_REDIS_URL) lines.push('redis: limiter-on-Redis and shared-count suites skipped (TEST_REDIS_URL is not set)')

console.log('')
for (const line of lines) console.log(line)
console.log(`total: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`)
process.exit(totals.fail > 0 || totals.pass === 0 ? 1 : 0)
