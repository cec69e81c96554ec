/*
 * The README's examples, run as a new user would paste them. Rules for README authors:
 * - every ```sh block runs, in the order it appears, in one bash session (variables carry over);
 *   blocks fenced as ```console, ```bash or ```ts are shown but not run;
 * - `localhost:8000` is rewritten to the test server's address; the service starts on a fresh database;
 * - each line that runs `curl` (continuation lines with a trailing `\` belong to it) must answer 2xx,
 *   unless it ends with a comment `# → NNN` stating the status it answers; one `curl` per line.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { buildTestApp } from '../helper.js'

function readmeBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8')
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
}

/** The expected status of each `curl` command, in order: a number, or 'ok' for any 2xx. */
function expectedStatuses(blocks: string[]): { line: string; status: number | 'ok' }[] {
  const commands = blocks.join('\n').replace(/\\\n/g, ' ').split('\n')
  return commands
    .filter((line) => !line.trim().startsWith('#') && /(^|[\s(])curl\s/.test(line))
    .map((line) => {
      const stated = /#\s*→\s*(\d{3})\s*$/.exec(line)
      return { line: line.trim(), status: stated ? Number(stated[1]) : 'ok' }
    })
}

describe('README examples', () => {
  it('run top to bottom, each answering its stated status', async (t) => {
    const blocks = readmeBlocks()
    const expected = expectedStatuses(blocks)
    assert.ok(expected.length >= 20, `found ${expected.length} curl commands`)

    const { app, close } = await buildTestApp()
    t.after(close)
    const address = new URL(await app.listen({ host: '127.0.0.1', port: 0 })).host
    const dir = mkdtempSync(join(tmpdir(), 'careers-readme-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const statusFile = join(dir, 'statuses')
    // Each curl's status goes to a side file (stderr of -w), so that its output and `$(...)` captures stay as written.
    const prelude = `curl() { command curl -s -w '%{stderr}%{http_code}\\n' "$@" 2>>'${statusFile}'; }\n`
    const script = prelude + blocks.join('\n').replaceAll('localhost:8000', address)

    // Asynchronous: the server answering the script runs in this process.
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('close', (status) => resolve({ status, stderr }))
    })
    const statuses = readFileSync(statusFile, 'utf8').trim().split('\n').map(Number)
    const mismatches = expected
      .map((command, index) => ({ ...command, got: statuses[index] }))
      .filter(({ status, got }) => got === undefined || (status === 'ok' ? got < 200 || got > 299 : got !== status))
      .map(({ line, status, got }) => `${line.slice(0, 120)}: expected ${status}, got ${got}`)
    assert.deepEqual(mismatches, [], `stderr: ${run.stderr}`)
    assert.equal(statuses.length, expected.length, 'every curl command answered once')
    assert.equal(run.status, 0, run.stderr)
  })
})
