import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { Db } from './db/connect.js'
import { accessLineFormat } from './lib/access-line.js'
import { LazyChildLogger } from './lib/lazy-logger.js'
import { BatchedLogDestination } from './lib/log-lines.js'
import { createValidatorCompiler } from './lib/validation.js'
import { accountRoutes, loginAccountKey } from './modules/account/index.js'
import { authModule, createTokenService, resolveSession } from './modules/auth/index.js'
import { followedAmong, followsRoutes } from './modules/follows/index.js'
import { healthRoutes } from './modules/health/index.js'
import { postsModule } from './modules/posts/index.js'
import { usersRoutes } from './modules/users/index.js'
import auth from './plugins/auth.js'
import dbPlugin from './plugins/db.js'
import docs from './plugins/docs.js'
import http, {
  answerOtherMethods,
  BODY_LIMIT_BYTES,
  frameworkErrors,
  parseQuery,
  serverOptions,
  trackRoutes,
} from './plugins/http.js'
import rateLimit from './plugins/rate-limit.js'
import security, { securityHeaders } from './plugins/security.js'

export interface AppOptions {
  config: Config
  /** A migrated database; the app closes it when it closes. */
  db: Db
  /** Where log lines go (standard output by default). */
  logStream?: { write(line: string): void }
}

export async function buildApp({ config, db, logStream }: AppOptions): Promise<FastifyInstance> {
  if (config.jwtSecret === undefined) throw new Error('buildApp needs a resolved JWT secret (see resolveJwtSecret)')
  // Asynchronous, batched standard output: a write per line cost a fifth of the throughput. Lines are
  // written once 64 KiB have gathered, or within a second, and on close.
  const destination = logStream ?? new BatchedLogDestination(LOG_FLUSH_INTERVAL_MS)
  const headersFor = securityHeaders(config.corsOrigins)
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refresh', '*.access'],
        censor: '[redacted]',
      },
      stream: destination,
    },
    // One line per request, written when the response is (see the onResponse hook below).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500, querystringParser: parseQuery },
    frameworkErrors: frameworkErrors(headersFor),
    ...serverOptions(config.http),
    // Fastify takes a hop count too (proxy-addr), though its types leave numbers out.
    trustProxy: config.trustProxy as boolean | string[],
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(createValidatorCompiler())
  app.setChildLoggerFactory((logger, bindings, options) => new LazyChildLogger(logger, bindings, options))
  if (['info', 'debug', 'trace'].includes(config.logLevel)) {
    // The access line carries no secret (method, URL, status, time) and goes to the same destination as
    // pino's lines, formatted as pino would (see accessLineFormat).
    const accessLine = accessLineFormat()
    app.addHook('onResponse', (request, reply, done) => {
      destination.write(
        accessLine({
          reqId: request.id,
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          responseTime: reply.elapsedTime,
        }),
      )
      done()
    })
  }
  if (destination instanceof BatchedLogDestination) app.addHook('onClose', async () => destination.close())
  const routes = trackRoutes(app)

  await app.register(http, { maxRequestsPerSocket: config.http.maxRequestsPerSocket, headersFor })
  await app.register(dbPlugin, { db })
  // The auth plugin knows tokens and sessions only through these two functions of the auth module.
  const tokens = createTokenService(config.jwtSecret, config.accessTokenTtlSeconds, config.refreshTokenTtlSeconds)
  await app.register(auth, {
    verifyAccess: (token) => {
      const claims = tokens.verify(token, 'access')
      return claims === null ? null : { userId: claims.user_id, sessionId: claims.sid }
    },
    resolveSession: (userId, sessionId) => resolveSession(db, userId, sessionId),
  })
  await app.register(security, { corsOrigins: config.corsOrigins })
  await app.register(rateLimit, {
    limits: config.rateLimits,
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    accountKey: (identifier) => loginAccountKey(db, identifier),
  })
  await app.register(docs)
  // Loaded only when switched on: prom-client costs nothing when metrics are off.
  if (config.metrics) await app.register((await import('./plugins/metrics.js')).default, { token: config.metricsToken })
  await app.register(healthRoutes, { readyTimeoutMs: config.readyTimeoutMs })
  await app.register(authModule, { prefix: '/careers/users', tokens })
  await app.register(accountRoutes, { prefix: '/careers/users' })
  await app.register(followsRoutes, { prefix: '/careers/users' })
  await app.register(usersRoutes, { prefix: '/careers/users', followedAmong })
  await app.register(postsModule, { prefix: '/careers' })

  answerOtherMethods(app, routes)
  return app
}

const LOG_FLUSH_INTERVAL_MS = 1000
