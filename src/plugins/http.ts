import { METHODS, type ServerOptions } from 'node:http'
import { parse as parseQuerystring } from 'node:querystring'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions, HTTPMethods } from 'fastify'
import fp from 'fastify-plugin'
import type { HttpLimits } from '../config.js'
import { causeOf, isUnavailable } from '../db/failures.js'
import { HttpError, badRequest } from '../errors.js'
import { logLimited } from '../lib/log-limiter.js'
import { isPlainObject, notAnObject } from '../lib/validation.js'

export const BODY_LIMIT_BYTES = 64 * 1024

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** The headers every answer to `request` carries besides its request id (the security headers). */
export type HeadersFor = (request: FastifyRequest) => Record<string, string>

export interface HttpOptions {
  maxRequestsPerSocket: number
  headersFor: HeadersFor
}

/**
 * The contract's HTTP rules in one place: JSON only (415 otherwise), 400 for broken or non-object JSON,
 * 413 over 64 KiB, DRF-style error bodies, 404 `Not found.`, and no internals in a 500.
 */
export default fp<HttpOptions>(
  async (app, { maxRequestsPerSocket, headersFor }) => {
    perRequest(app, maxRequestsPerSocket, headersFor)
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      // An empty body with a JSON content type is an absent body (a DELETE from many clients looks like this).
      if (body === '') {
        done(null, undefined)
        return
      }
      void parseJson(request, body as string, (error, value) => {
        if (error) return done(badRequest('JSON parse error - the request body is not valid JSON.'), undefined)
        if (!isPlainObject(value)) return done(notAnObject(value), undefined)
        done(null, value)
      })
    })

    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not found.' }))
    app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply))
  },
  { name: 'http' },
)

function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) return reply.code(error.statusCode).headers(error.headers).send(error.body)
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return reply.code(415).send({ detail: `Unsupported media type "${mediaType(request)}" in request.` })
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send({ detail: `Request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.` })
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply.code(400).send({ detail: 'Content-Length does not match the request body.' })
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ detail: status === 400 ? 'Bad request.' : error.message || 'Bad request.' })
  }
  if (isUnavailable(error)) {
    // A known outage: one short line with the driver's cause, no stack, at most one per kind per second.
    const cause = causeOf(error)
    logLimited(request.log, 'error', `unavailable:${cause.code}:${cause.message}`, { cause }, 'database unavailable')
    return reply.code(503).send({ detail: 'Service temporarily unavailable.' })
  }
  const cause = causeOf(error)
  logLimited(request.log, 'error', `internal:${cause.code}:${cause.message}`, { err: error }, 'request failed')
  return reply.code(500).send({ detail: 'Internal server error.' })
}

/**
 * The query string as Django's `QueryDict.get` reads it, which the original's clients rely on: a parameter
 * given twice counts with its last value (Fastify would hand the route an array, refused as not a string).
 */
export function parseQuery(query: string): Record<string, string> {
  if (query === '') return {}
  const parsed = parseQuerystring(query)
  for (const key in parsed) {
    const value = parsed[key]
    if (Array.isArray(value)) parsed[key] = value[value.length - 1]
  }
  return parsed as Record<string, string>
}

/**
 * Node's HTTP server limits for slow or greedy clients: the whole request (headers and body) must arrive within
 * `requestTimeoutMs`, the headers within `headersTimeoutMs`; an idle kept-alive connection closes after
 * `keepAliveTimeoutMs`.
 */
export function serverOptions(
  limits: HttpLimits,
): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'clientErrorHandler'> & { http: ServerOptions } {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs)
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the timeouts every `connectionsCheckingInterval` (30 s by default): check often enough
    // that a 30 s limit ends a request well before 40 s.
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(shortest / 4))),
    },
    clientErrorHandler,
  }
}

/**
 * Every response names its request id in `X-Request-Id`, as the log lines do, and carries `headersFor`'s headers.
 *
 * A connection serves at most `max` requests: the last one is answered with `Connection: close` and the
 * connection closes after it; requests pipelined beyond it are not processed (the client sends them again on
 * a new connection, as HTTP/1.1 asks). One client's deep pipeline cannot hold the process for long.
 * (Node's own `maxRequestsPerSocket` answers each extra request with a bare 503 and keeps the connection open.)
 *
 * One hook for all three: no request runs a hook more than it needs (each call costs a few hundred nanoseconds).
 */
function perRequest(app: FastifyInstance, max: number, headersFor: HeadersFor): void {
  const served = new WeakMap<object, number>()
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).headers(headersFor(request))
    const socket = request.raw.socket as Socket | undefined
    if (socket === undefined || socket === null) return done()
    const count = (served.get(socket) ?? 0) + 1
    served.set(socket, count)
    if (count > max) {
      socket.pause()
      reply.hijack()
      return
    }
    if (count === max) void reply.header('connection', 'close')
    done()
  })
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'Request timeout.'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'Request header fields too large.'],
}

/** Errors Node raises before Fastify sees a request (timeouts, unparsable HTTP), in the contract's shape. */
function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'Bad request.']
  this.log.debug({ code: error.code }, 'client error')
  // Only when no response is being written on this connection (a request whose body is still arriving has
  // none yet), so that an answer is never spliced into another one.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (socket.writable && (pending === undefined || pending === null || pending.headersSent !== true)) {
    const body = JSON.stringify({ detail })
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

function mediaType(request: FastifyRequest): string {
  const header = request.headers['content-type'] ?? ''
  return header
    .split(';')[0]!
    .trim()
    .slice(0, 100)
    .replace(/[^\x20-\x7e]/g, '')
}

/** For Fastify's own routing failures: a malformed URL is a bad request, an over-long path segment is simply not found. */
export function frameworkErrors(
  headersFor: HeadersFor,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    // Routing failed before any hook ran, so the headers are set here.
    reply.header('x-request-id', request.id).headers(headersFor(request))
    if (error.code === 'FST_ERR_BAD_URL') void reply.code(400).send({ detail: 'Malformed URL.' })
    else void reply.code(404).send({ detail: 'Not found.' })
  }
}

/**
 * Records every route's methods so that `answerOtherMethods` can answer the rest with 405 and `Allow`.
 * Call before registering routes.
 */
export function trackRoutes(app: FastifyInstance): Map<string, KnownPath> {
  const paths = new Map<string, KnownPath>()
  app.addHook('onRoute', (route) => {
    // A catch-all (CORS's preflight route) is no known path: unknown paths stay 404.
    if (route.url.endsWith('*')) return
    // With ignoreTrailingSlash, `/a` and `/a/` are one path: keyed without the slash, registered as first seen.
    const key = route.url.endsWith('/') && route.url.length > 1 ? route.url.slice(0, -1) : route.url
    const known = paths.get(key) ?? { url: route.url, methods: new Set<string>() }
    for (const method of [route.method].flat()) known.methods.add(method)
    // Fastify answers HEAD for every GET route by itself.
    if (known.methods.has('GET')) known.methods.add('HEAD')
    paths.set(key, known)
  })
  return paths
}

interface KnownPath {
  url: string
  methods: Set<string>
}

/**
 * Call after every route is registered: a known path with an unknown method answers 405, never 404, for every
 * method Node's parser reads (TRACE, PROPFIND…; not CONNECT, which Node hands to its own event). A body sent with
 * one of those is not read.
 */
export function answerOtherMethods(app: FastifyInstance, paths: Map<string, KnownPath>): void {
  const everyMethod = METHODS.filter((method) => method !== 'CONNECT')
  for (const method of everyMethod) if (!app.supportedMethods.includes(method)) app.addHttpMethod(method)
  for (const { url, methods } of [...paths.values()]) {
    const allow = ALL_METHODS.filter((method) => methods.has(method))
    const others = everyMethod.filter((method) => !methods.has(method)) as HTTPMethods[]
    if (others.length === 0 || url.startsWith('/docs')) continue
    app.route({
      method: others,
      // The routes' own spelling, so that metrics label a 405 with the same route as the path's other answers.
      url,
      schema: { hide: true },
      handler: async (request, reply) => {
        return reply
          .code(405)
          .header('allow', allow.join(', '))
          .send({ detail: `Method "${request.method}" not allowed.` })
      },
    })
  }
}
