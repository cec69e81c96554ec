import assert from 'node:assert/strict'
import { connect, type AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { build } from '../support/index.js'

// The access line is formatted by the app, not by pino: it must stay a line pino itself would write for the
// same fields (same keys in the same order, same base), and stay valid JSON whatever the URL holds.

type Line = Record<string, unknown>

async function linesOf(t: Parameters<typeof build>[0], level: string, urls: string[]): Promise<Line[]> {
  const lines: string[] = []
  const { app } = await build(t, { LOG_LEVEL: level }, { write: (line) => lines.push(line) })
  // Over a socket, as sent: an injected request would have its URL normalised first.
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  for (const url of urls) assert.match(await rawGet(port, url), /^HTTP\/1\.1 (200|404) /, url)
  // The line pino writes through the same logger, as a reference for the format.
  app.log.info({ reqId: 'x', method: 'GET', url: '/', statusCode: 200, responseTime: 1 }, 'request')
  for (const line of lines) assert.ok(line.endsWith('}\n'), `not one JSON line: ${line}`)
  return lines.map((line) => JSON.parse(line) as Line)
}

/** One GET with the request line exactly as given; resolves when the server has answered and closed. */
function rawGet(port: number, url: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${url} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    })
    let answer = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
    socket.on('close', () => done(answer)).on('error', fail)
  })
}

describe('access line', () => {
  it('has the keys, order and base of a pino line, and keeps any URL intact', async (t) => {
    const urls = [
      '/careers/users/someone/',
      '/careers/users/?search=%22quoted%22&x=\\back',
      '/careers/users/?search="raw"quotes\\and\\backslashes',
      '/careers/users/?search=caf%C3%A9&emoji=%F0%9F%98%80',
      "/careers/users/?search=it's{}<>|^`",
    ]
    const lines = await linesOf(t, 'info', urls)
    const reference = lines.pop()!
    const access = lines.filter((line) => line.msg === 'request')
    assert.equal(access.length, urls.length)
    for (const [index, line] of access.entries()) {
      assert.deepEqual(Object.keys(line), Object.keys(reference))
      assert.equal(line.level, reference.level)
      assert.equal(line.pid, reference.pid)
      assert.equal(line.hostname, reference.hostname)
      assert.equal(line.method, 'GET')
      assert.equal(line.url, urls[index])
      assert.match(String(line.reqId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.equal(typeof line.statusCode, 'number')
      assert.ok(typeof line.responseTime === 'number' && line.responseTime >= 0)
      assert.ok(Math.abs(Number(line.time) - Number(reference.time)) < 60_000)
    }
    assert.deepEqual(
      access.map((line) => line.statusCode),
      [404, 200, 200, 200, 200],
    )
  })

  it('is not written above info', async (t) => {
    const lines = await linesOf(t, 'warn', ['/careers/users/someone/'])
    assert.deepEqual(lines, [])
  })
})
