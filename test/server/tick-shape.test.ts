import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { keepTickShape } from '../../src/lib/tick-shape.js'

// keepTickShape (called first by the server process) must keep an object whose hidden class is the one
// Node's nextTick entries get, across full collections. Checked in a child process with V8's test intrinsics.
const MODULE = pathToFileURL('src/lib/tick-shape.ts').href
const SCRIPT = `
import { createHook } from 'node:async_hooks'
import { keepTickShape } from ${JSON.stringify(MODULE)}
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)')
function queuedTick() {
  let entry
  const hook = createHook({ init(id, type, trigger, resource) { if (type === 'TickObject') entry ??= resource } })
  hook.enable()
  process.nextTick(() => {})
  hook.disable()
  return entry
}
// As in a busy startup: the entries' hidden classes may already have been collected when the entry is made.
await new Promise((done) => setImmediate(done))
globalThis.gc()
const kept = new WeakRef(keepTickShape())
// Full collections with no tick queued, with ticks in between as a server has.
for (let round = 0; round < 5; round++) {
  await new Promise((done) => setTimeout(done, 5))
  for (let i = 0; i < 10; i++) process.nextTick(() => {})
  await new Promise((done) => setImmediate(done))
  globalThis.gc()
}
const entry = kept.deref()
console.log(JSON.stringify({ alive: entry !== undefined, sameMap: entry !== undefined && sameMap(entry, queuedTick()) }))
`

describe('the kept nextTick entry', () => {
  it("finds Node's async id symbols on this Node version", () => {
    assert.notEqual(keepTickShape(), undefined)
  })

  it('stays alive through full collections and has the hidden class of a queued tick', () => {
    const run = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
      { encoding: 'utf8' },
    )
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').at(-1)!), { alive: true, sameMap: true })
  })
})
