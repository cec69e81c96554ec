import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'
import type { Account } from './accounts.js'
import { buildTestApp, type TestApp } from './app.js'
import { keys } from './asserts.js'

// Real concurrency: the app listens on a socket (port 0) and bursts are fired at once with fetch.

export interface Answer {
  status: number
  body: Record<string, unknown>
  text: string
}

export interface ListeningApp extends TestApp {
  baseUrl: string
  /** A request over the socket, as `who` when given, with a JSON body when given. */
  call(method: string, path: string, options?: { who?: Account; body?: unknown }): Promise<Answer>
}

/** One listening app per test file: built and listening before the first test, closed after the last. */
export function useListeningApp(env: Record<string, string> = {}): ListeningApp {
  const holder = {
    async call(method: string, path: string, options: { who?: Account; body?: unknown } = {}): Promise<Answer> {
      const headers: Record<string, string> = {}
      if (options.who) headers.authorization = options.who.auth.authorization
      if (options.body !== undefined) headers['content-type'] = 'application/json'
      const response = await fetch(`${holder.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      })
      const text = await response.text()
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        // Left empty: the status assertions report the raw text.
      }
      return { status: response.status, body, text }
    },
  } as ListeningApp
  before(async () => {
    Object.assign(holder, await buildTestApp(env))
    await holder.app.listen({ port: 0, host: '127.0.0.1' })
    holder.baseUrl = `http://127.0.0.1:${(holder.app.server.address() as AddressInfo).port}`
  })
  after(async () => holder.close?.())
  return holder
}

/** Every answer is one of the expected statuses (never a 5xx); returns how many had each. */
export function tally(answers: Answer[], allowed: number[]): Record<number, number> {
  const byStatus: Record<number, number> = {}
  for (const answer of answers) {
    assert.ok(allowed.includes(answer.status), `unexpected ${answer.status}: ${answer.text}`)
    byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1
  }
  return byStatus
}

/** Every answer is a 400 field error on `field` alone. */
export function assertFieldErrors(answers: Answer[], field: string): void {
  for (const answer of answers) {
    assert.equal(answer.status, 400, answer.text)
    assert.deepEqual(keys(answer.body), [field], answer.text)
    assert.ok(Array.isArray(answer.body[field]), answer.text)
  }
}

/** GET {username}/ over the socket; asserts the 200. */
export async function publicProfile(server: ListeningApp, username: string): Promise<Record<string, unknown>> {
  const answer = await server.call('GET', `/careers/users/${username}/`)
  assert.equal(answer.status, 200, answer.text)
  return answer.body
}

export function shuffled<T>(items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}
