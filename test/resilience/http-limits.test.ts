import assert from 'node:assert/strict'
import { connect as tcpConnect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { buildTestApp, DIALECT, type TestApp } from '../helper.js'

// Slow and greedy clients on a real socket: a trickled body is cut with a 408 in the contract's shape
// while /health keeps answering, and a pipeline is capped per connection. Independent of the database,
// so it runs in the SQLite pass only.
const skip = DIALECT !== 'sqlite' ? 'HTTP limits do not depend on the database: runs in the SQLite pass' : false
let testApp: TestApp
let port = 0

before(async () => {
  if (skip) return
  testApp = await buildTestApp({ REQUEST_TIMEOUT: '1s', MAX_REQUESTS_PER_SOCKET: '10' })
  await testApp.app.listen({ host: '127.0.0.1', port: 0 })
  port = (testApp.app.server.address() as { port: number }).port
})
after(async () => testApp?.close())

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => resolve(socket))
    socket.on('error', reject)
  })
}

/** Everything the server sends until it closes the connection. */
function received(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
    socket.on('close', () => resolve(text))
    socket.on('error', () => {})
  })
}

describe('slow and greedy clients', { skip }, () => {
  it('a body trickled byte by byte ends in 408 {"detail": …} while /health answers', async () => {
    const socket = await open()
    const answer = received(socket)
    const started = Date.now()
    socket.write(
      'POST /careers/users/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
    )
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100)
    try {
      for (let i = 0; i < 5; i++) {
        const [health, ms] = await (async () => {
          const t = Date.now()
          const response = await fetch(`http://127.0.0.1:${port}/health`)
          return [response, Date.now() - t] as const
        })()
        assert.equal(health.status, 200)
        assert.ok(ms < 500, `/health took ${ms} ms`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const text = await answer
      const elapsed = Date.now() - started
      assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/)
      assert.match(text, /content-type: application\/json; charset=utf-8/i)
      assert.deepEqual(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)), { detail: 'Request timeout.' })
      assert.ok(elapsed >= 900 && elapsed < 3000, `cut after ${elapsed} ms for a 1 s request timeout`)
    } finally {
      clearInterval(trickle)
      socket.destroy()
    }
  })

  it('headers that never finish end in 408 as well', async () => {
    const socket = await open()
    const answer = received(socket)
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n')
    const text = await answer
    assert.match(text, /^HTTP\/1\.1 408 /)
    assert.match(text, /\{"detail":"Request timeout\."\}$/)
  })

  it('a pipeline of 500 requests gets 10 answers on its connection, which then closes; others are not held up', async () => {
    const socket = await open()
    const answer = received(socket)
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(500))
    const other = await fetch(`http://127.0.0.1:${port}/health`)
    assert.equal(other.status, 200)
    const text = await answer
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]))
    assert.deepEqual(statuses, Array(10).fill(200), 'ten answers, then the connection closes')
    assert.equal([...text.matchAll(/connection: keep-alive/gi)].length, 9)
    assert.match(text.split('HTTP/1.1 200').at(10)!, /connection: close/i)
  })
})
