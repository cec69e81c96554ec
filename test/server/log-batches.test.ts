import assert from 'node:assert/strict'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { BatchedLogDestination } from '../../src/lib/log-lines.js'
import { DIALECT } from '../support/index.js'

// The batching destination on its own, into a file: every byte arrives, in order, whatever the lines hold.
// Dialect-independent: SQLite pass only.
const skip = DIALECT !== 'sqlite'
const workDir = mkdtempSync(join(tmpdir(), 'careers-log-batches-'))
after(() => rmSync(workDir, { recursive: true, force: true }))

function withFile<T>(name: string, use: (fd: number, read: () => string) => Promise<T>): Promise<T> {
  const path = join(workDir, name)
  const fd = openSync(path, 'w')
  return use(fd, () => readFileSync(path, 'utf8')).finally(() => closeSync(fd))
}

describe('batched log destination', { skip }, () => {
  it('writes every line exactly, across batches, with multi-byte text and a line larger than a batch', async () => {
    await withFile('exact.log', async (fd, read) => {
      const destination = new BatchedLogDestination(60_000, fd)
      const lines: string[] = []
      for (let index = 0; index < 3000; index++) {
        const text =
          index % 3 === 0 ? `café ${index} 日本語 🎉` : index % 3 === 1 ? `"url":"/a?q=\\u0000${index}"` : 'x'.repeat(index % 200)
        lines.push(`{"n":${index},"text":${JSON.stringify(text)}}\n`)
        if (index === 1500) lines.push(`{"big":"${'é'.repeat(70_000)}"}\n`)
      }
      for (const line of lines) destination.write(line)
      await destination.close()
      const written = read()
      assert.equal(written.length, lines.join('').length)
      assert.equal(written, lines.join(''))
    })
  })

  it('writes a lone line within its interval, before any close', async () => {
    await withFile('lone.log', async (fd, read) => {
      const destination = new BatchedLogDestination(100, fd)
      destination.write('{"msg":"alone"}\n')
      assert.equal(read(), '', 'a lone line went out before its interval')
      const deadline = Date.now() + 2000
      while (read() === '' && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20))
      assert.equal(read(), '{"msg":"alone"}\n')
      await destination.close()
    })
  })
})
