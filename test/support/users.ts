import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { register, uniqueName, type Account } from './accounts.js'

/** GET /careers/users/ with a query (and headers, e.g. a token). */
export function listUsers(
  app: FastifyInstance,
  query: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: '/careers/users/', query, headers })
}

/** Several users registered in order and sharing a unique last name, so that a test can list just its own. */
export async function family(
  app: FastifyInstance,
  specs: Array<Record<string, string>>,
): Promise<{ lastName: string; accounts: Account[] }> {
  const lastName = uniqueName('Fam')
  const accounts: Account[] = []
  for (const spec of specs) accounts.push(await register(app, { last_name: lastName, ...spec }))
  return { lastName, accounts }
}
