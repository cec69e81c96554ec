import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { PASSWORD } from './app.js'

export interface Account {
  id: number
  username: string
  email: string
  access: string
  refresh: string
  auth: { authorization: string }
}

let counter = 0

/** A name no other test in this process uses. */
export function uniqueName(prefix = 'user'): string {
  counter += 1
  return `${prefix}${process.pid}x${counter}`
}

/** A valid registration body with a unique username and email; `overrides` replace or add keys. */
export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const username = uniqueName('reg')
  return { username, email: `${username}@example.com`, password: PASSWORD, password_confirm: PASSWORD, ...overrides }
}

function toAccount(json: { user: { id: number; username: string; email: string }; access: string; refresh: string }): Account {
  const { user, access, refresh } = json
  return { id: user.id, username: user.username, email: user.email, access, refresh, auth: { authorization: `Bearer ${access}` } }
}

/** Registers through HTTP (argon2 and all) and returns the account with its first session's tokens. */
export async function register(app: FastifyInstance, fields: Record<string, unknown> = {}): Promise<Account> {
  const username = (fields.username as string | undefined) ?? uniqueName()
  const body = { username, email: `${username}@example.com`, password: PASSWORD, password_confirm: PASSWORD, ...fields }
  const response = await app.inject({ method: 'POST', url: '/careers/users/register/', payload: body })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  return toAccount(response.json())
}

/** Logs in through HTTP (a new session) as a user made by a factory or by `register`. */
export async function login(app: FastifyInstance, user: { username: string }, password = PASSWORD): Promise<Account> {
  const response = await app.inject({
    method: 'POST',
    url: '/careers/users/login/',
    payload: { username: user.username, password },
  })
  assert.equal(response.statusCode, 200, `login failed: ${response.body}`)
  return toAccount(response.json())
}

/** A username in another case than the one it was registered with. */
export function otherCase(username: string): string {
  const swapped = [...username].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')
  assert.notEqual(swapped, username)
  return swapped
}

/** GET /careers/users/me/ with an access token (the usual "does this token still work" probe). */
export function getMe(app: FastifyInstance, access: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: '/careers/users/me/', headers: { authorization: `Bearer ${access}` } })
}

/** PATCH me/update/ as `auth`, expecting 200. */
export async function updateMe(
  app: FastifyInstance,
  auth: { authorization: string },
  payload: Record<string, unknown>,
): Promise<void> {
  const response = await app.inject({ method: 'PATCH', url: '/careers/users/me/update/', headers: auth, payload })
  assert.equal(response.statusCode, 200, response.body)
}
