import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyRequest } from 'fastify'
import cors from '@fastify/cors'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

export interface SecurityOptions {
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins: string[]
}

/** The page at /docs and its assets; everything else answers JSON. */
const DOCS_PREFIX = '/docs'

/**
 * The security headers of every answer, from helmet, computed once per policy (@fastify/helmet rebuilt helmet's
 * middleware on every request, a tenth of the cost of a profile read). The http plugin sets them in its one
 * per-request hook.
 *
 * JSON answers get what a JSON API needs (OWASP's REST guidance): a policy that loads nothing and cannot
 * be framed (also in the older X-Frame-Options), nosniff, no referrer and the resource policy. Each header costs
 * about half a microsecond to validate and write, so the headers that only matter to HTML pages (or to browsers
 * long gone) are left out. The /docs page gets helmet's full set, with a policy that lets it load its own scripts,
 * styles and images (swagger-ui serves them from /docs/static, with no inline script) and nothing from elsewhere.
 *
 * HSTS goes only on answers over HTTPS (directly, or as `X-Forwarded-Proto` says through a `TRUST_PROXY` proxy),
 * as Django's SecurityMiddleware does: browsers ignore it over plain HTTP (RFC 6797, section 8.1).
 */
export function securityHeaders(corsOrigins: string[]): (request: FastifyRequest) => Record<string, string> {
  // A JSON API is fetched across origins by the browsers CORS allows; those reads are CORS's business.
  const crossOriginResourcePolicy = { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' } as const
  const apiPolicy: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }
  const pagePolicy: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // swagger-ui sets inline styles from its scripts.
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    crossOriginResourcePolicy,
  }
  // Each as [over plain HTTP, over HTTPS].
  const api = [helmetHeaders(apiPolicy, false), helmetHeaders(apiPolicy, true)] as const
  const page = [helmetHeaders(pagePolicy, false), helmetHeaders(pagePolicy, true)] as const
  return (request) => {
    const headers = request.url.startsWith(DOCS_PREFIX) ? page : api
    return headers[request.protocol === 'https' ? 1 : 0]
  }
}

/** CORS for the configured origins only. */
export default fp<SecurityOptions>(
  async (app, { corsOrigins }) => {
    // With no origin allowed, @fastify/cors would still run a hook on every request (copying its options)
    // to add nothing; a preflight to a known path then answers 405 and elsewhere 404, as it does with it.
    if (corsOrigins.length === 0) return
    await app.register(cors, {
      origin: corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    })
  },
  { name: 'security' },
)

/** The headers helmet's middleware sets for `options` (they depend on the options only), HSTS only if `hsts`. */
function helmetHeaders(options: HelmetOptions, hsts: boolean): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  let failure: unknown
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failure = error
  })
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure))
  if (!hsts) delete headers['strict-transport-security']
  return headers
}
