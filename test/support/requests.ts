import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify'
import type { Account } from './accounts.js'

/** What a request answered: the status, the parsed JSON body (undefined when not JSON), the raw text and headers. */
export interface Reply {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
  text: string
  headers: LightMyRequestResponse['headers']
}

export interface RequestOptions {
  /** Sends `Authorization: Bearer <access>` of this account. */
  as?: Pick<Account, 'access'>
  query?: Record<string, string>
  headers?: Record<string, string>
}

export interface BodyOptions extends RequestOptions {
  /** A JSON value (sent as application/json), or a raw string sent with `contentType` (none when undefined). */
  body?: unknown
  raw?: string
  contentType?: string
}

export interface Api {
  get(path: string, options?: RequestOptions): Promise<Reply>
  post(path: string, options?: BodyOptions): Promise<Reply>
  patch(path: string, options?: BodyOptions): Promise<Reply>
  del(path: string, options?: BodyOptions): Promise<Reply>
  send(method: HTTPMethods, path: string, options?: BodyOptions): Promise<Reply>
}

export function toReply(response: LightMyRequestResponse): Reply {
  let json: unknown
  try {
    json = JSON.parse(response.body)
  } catch {
    json = undefined
  }
  return { status: response.statusCode, json, text: response.body, headers: response.headers }
}

/** Typed requests through `app.inject`: `api(app).get('/careers/users/', { as: alice, query: { search: 'x' } })`. */
export function api(app: FastifyInstance): Api {
  async function send(method: HTTPMethods, path: string, options: BodyOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.as) headers.authorization = `Bearer ${options.as.access}`
    let payload: string | undefined
    if (options.raw !== undefined) {
      payload = options.raw
      if (options.contentType !== undefined) headers['content-type'] = options.contentType
    } else if (options.body !== undefined) {
      payload = JSON.stringify(options.body)
      headers['content-type'] = options.contentType ?? 'application/json'
    }
    return toReply(await app.inject({ method, url: path, query: options.query, headers, payload }))
  }
  return {
    get: (path, options) => send('GET', path, options),
    post: (path, options) => send('POST', path, options),
    patch: (path, options) => send('PATCH', path, options),
    del: (path, options) => send('DELETE', path, options),
    send,
  }
}

/** A request with a raw body and an explicit content type (or none at all). */
export function injectRaw(
  app: FastifyInstance,
  method: HTTPMethods,
  url: string,
  body: string,
  contentType: string | undefined,
  auth: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...auth }
  if (contentType !== undefined) headers['content-type'] = contentType
  return app.inject({ method, url, payload: body, headers })
}
