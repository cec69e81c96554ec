import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { toReply, type Reply } from './requests.js'

export const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/
export const JSON_UTF8 = 'application/json; charset=utf-8'
export const BEARER_CHALLENGE = 'Bearer realm="api"'
export const NOT_FOUND = { detail: 'Not found.' }
export const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
export const TOKEN_NOT_VALID = { detail: 'Given token not valid for any token type', code: 'token_not_valid' }
export const REFRESH_NOT_VALID = { detail: 'Token is invalid or expired', code: 'token_not_valid' }
export const INTERNAL_ERROR = { detail: 'Internal server error.' }

export const SUMMARY_KEYS = ['avatar', 'first_name', 'id', 'is_following', 'last_name', 'username']
export const FOLLOW_KEYS = ['created_at', 'follower', 'follower_username', 'following', 'following_username', 'id']
export const PUBLIC_PROFILE_KEYS = [
  'avatar',
  'bio',
  'created_at',
  'first_name',
  'followers_count',
  'following_count',
  'id',
  'last_name',
  'posts_count',
  'username',
]

type Answer = Reply | LightMyRequestResponse

function reply(answer: Answer): Reply {
  return 'statusCode' in answer ? toReply(answer) : answer
}

/** Asserts nothing: returns the sorted keys of a JSON object, for exact key-set comparisons. */
export function keys(value: unknown): string[] {
  return Object.keys(value as object).sort()
}

/** 400 with exactly one key, `field`, holding a non-empty list of strings (DRF's field error). */
export function assertFieldError(answer: Answer, field: string): void {
  const { status, json, text } = reply(answer)
  assert.equal(status, 400, text)
  assert.deepEqual(keys(json), [field], text)
  assert.ok(Array.isArray(json[field]) && json[field].length > 0, text)
  for (const message of json[field]) assert.equal(typeof message, 'string')
}

/** A `{"detail": "<non-empty string>"}` body, nothing else. */
export function assertDetailOnly(answer: Answer, label = ''): void {
  const { json, text } = reply(answer)
  assert.deepEqual(keys(json), ['detail'], `${label}: ${text}`)
  assert.equal(typeof json.detail, 'string', label)
  assert.ok(json.detail.length > 0, label)
}

/** 401 with the Bearer challenge; with `body`, exactly that body. */
export function assert401(answer: Answer, body?: object, label = ''): void {
  const { status, json, text, headers } = reply(answer)
  assert.equal(status, 401, `${label} ${text}`)
  if (body !== undefined) assert.deepEqual(json, body, label)
  else assert.equal(typeof json.detail, 'string', label)
  assert.equal(headers['www-authenticate'], BEARER_CHALLENGE, label)
}

/** 500 with the contract's only 5xx body: no stack, no SQL. */
export function assertInternalError(answer: Answer): void {
  const { status, json, text } = reply(answer)
  assert.equal(status, 500, text)
  assert.deepEqual(json, INTERNAL_ERROR)
}

/** No email anywhere in the body: not the accounts', not any address, no `email` key. */
export function assertNoEmail(answer: Answer, ...accounts: { email: string }[]): void {
  const { text } = reply(answer)
  for (const account of accounts) assert.ok(!text.includes(account.email), `email ${account.email} leaked`)
  assert.ok(!text.includes('@example.com'), 'no email at all in the body')
  assert.ok(!/"email"/.test(text), 'no email key')
}

export function assertFollowObject(value: Record<string, unknown>): void {
  assert.deepEqual(keys(value), FOLLOW_KEYS)
  for (const key of ['id', 'follower', 'following']) assert.ok(Number.isInteger(value[key]), `${key} is an integer`)
  assert.equal(typeof value.follower_username, 'string')
  assert.equal(typeof value.following_username, 'string')
  assert.match(String(value.created_at), ISO_UTC)
}
