import assert from 'node:assert/strict'
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify'
import { JSON_UTF8 } from './asserts.js'

// The contract's invariants for any request, as the fuzz suites check them.

export interface RawRequest {
  method: HTTPMethods
  url: string
  headers?: Record<string, string>
  /** Raw body text; undefined sends no body at all. */
  body?: string
  contentType?: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeRequest(request: RawRequest, response: LightMyRequestResponse): string {
  const body = request.body === undefined ? '' : ` body=${request.body.slice(0, 300)}`
  const auth = request.headers?.authorization === undefined ? '' : ` auth=${request.headers.authorization.slice(0, 40)}`
  return `${request.method} ${request.url.slice(0, 300)}${auth}${body} → ${response.statusCode} ${response.body.slice(0, 300)}`
}

/** Sends the request and asserts the contract's invariants: no 5xx, JSON object bodies, DRF error shapes. */
export async function checked(app: FastifyInstance, request: RawRequest): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.body !== undefined && request.contentType !== undefined) headers['content-type'] = request.contentType
  const response = await app.inject({ method: request.method, url: request.url, headers, payload: request.body })
  const where = describeRequest(request, response)
  assert.ok(response.statusCode < 500, `5xx: ${where}`)
  assert.equal(response.headers['content-type'], JSON_UTF8, `content type: ${where}`)
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    assert.fail(`not JSON: ${where}`)
  }
  assert.ok(isObject(json), `not a JSON object: ${where}`)
  if (response.statusCode >= 400) assertErrorShape(json, where)
  return response
}

/** `{"detail": "...", "code"?: "..."}`, or `{"field": ["message", ...], ...}`. */
export function assertErrorShape(json: Record<string, unknown>, where: string): void {
  const fields = Object.keys(json)
  assert.ok(fields.length > 0, `empty error body: ${where}`)
  if ('detail' in json) {
    assert.equal(typeof json.detail, 'string', where)
    for (const field of fields) {
      assert.ok(field === 'detail' || field === 'code', `unexpected key ${field} beside detail: ${where}`)
      assert.equal(typeof json[field], 'string', where)
    }
    return
  }
  for (const field of fields) {
    const messages = json[field]
    assert.ok(Array.isArray(messages) && messages.length > 0, `field ${field} is not a list of messages: ${where}`)
    for (const message of messages) assert.equal(typeof message, 'string', where)
  }
}
