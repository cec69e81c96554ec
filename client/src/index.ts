import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema.js'

export type { components, operations, paths } from './schema.js'
export type Schemas = components['schemas']

export interface Tokens {
  access: string
  refresh: string
}

export interface CareersClient {
  api: Client<paths>
  /** The tokens the client sends; set by `login`/`register`, renewed on a 401 by the refresh token. */
  tokens: Tokens | null
  register(
    body: paths['/careers/users/register/']['post']['requestBody']['content']['application/json'],
  ): Promise<Schemas['Registration']>
  login(username: string, password: string): Promise<Schemas['TokenPair']>
}

const REFRESH_PATH = '/careers/users/token/refresh/'

/**
 * A typed client (openapi-fetch) that sends the access token and, when a request answers 401, trades the
 * refresh token for a new access token once and repeats the request.
 */
export function createCareersClient(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch): CareersClient {
  const api = createClient<paths>({ baseUrl, fetch: fetchImpl })
  const pending = new Map<string, Request>()
  const client: CareersClient = {
    api,
    tokens: null,
    async register(body) {
      const { data, error, response } = await api.POST('/careers/users/register/', { body })
      if (!data) throw new Error(`register failed: ${response.status} ${JSON.stringify(error)}`)
      client.tokens = { access: data.access, refresh: data.refresh }
      return data
    },
    async login(username, password) {
      const { data, error, response } = await api.POST('/careers/users/login/', { body: { username, password } })
      if (!data) throw new Error(`login failed: ${response.status} ${JSON.stringify(error)}`)
      client.tokens = { access: data.access, refresh: data.refresh }
      return data
    },
  }

  async function refreshAccess(): Promise<boolean> {
    if (!client.tokens) return false
    const response = await fetchImpl(new URL(REFRESH_PATH, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh: client.tokens.refresh }),
    })
    if (!response.ok) return false
    const { access } = (await response.json()) as { access: string }
    client.tokens = { ...client.tokens, access }
    return true
  }

  const auth: Middleware = {
    onRequest({ request, id }) {
      if (client.tokens && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${client.tokens.access}`)
      // A body can be read once: keep a copy in case the request must be repeated after a refresh.
      if (client.tokens) pending.set(id, request.clone())
      return request
    },
    async onResponse({ response, id, schemaPath }) {
      const original = pending.get(id)
      pending.delete(id)
      if (response.status !== 401 || !original || schemaPath === REFRESH_PATH || !(await refreshAccess())) return response
      original.headers.set('authorization', `Bearer ${client.tokens!.access}`)
      return fetchImpl(original)
    },
  }
  api.use(auth)
  return client
}
