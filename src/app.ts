import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { Db } from './db/connect.js'
import { createValidatorCompiler } from './lib/validation.js'
import { accountRoutes, loginAccountKey } from './modules/account/index.js'
import authRoutes from './modules/auth/auth.routes.js'
import { createTokenService } from './modules/auth/tokens.js'
import followsRoutes from './modules/follows/follows.routes.js'
import healthRoutes from './modules/health/health.routes.js'
import usersRoutes from './modules/users/users.routes.js'
import auth from './plugins/auth.js'
import dbPlugin from './plugins/db.js'
import docs from './plugins/docs.js'
import rateLimit from './plugins/rate-limit.js'
import security from './plugins/security.js'
import http, { answerOtherMethods, BODY_LIMIT_BYTES, frameworkErrors, trackRoutes } from './plugins/http.js'

export interface AppOptions {
  config: Config
  /** A migrated database; the app closes it when it closes. */
  db: Db
  /** Where log lines go (standard output by default). */
  logStream?: { write(line: string): void }
}

export async function buildApp({ config, db, logStream }: AppOptions): Promise<FastifyInstance> {
  if (config.jwtSecret === undefined) throw new Error('buildApp needs a resolved JWT secret (see resolveJwtSecret)')
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refresh', '*.access'], censor: '[redacted]' },
      ...(logStream ? { stream: logStream } : {}),
    },
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    frameworkErrors,
    // Fastify takes a hop count too (proxy-addr), though its types leave numbers out.
    trustProxy: config.trustProxy as boolean | string[],
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(createValidatorCompiler())
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  const routes = trackRoutes(app)

  await app.register(http)
  await app.register(dbPlugin, { db })
  await app.register(auth, {
    tokens: createTokenService(config.jwtSecret, config.accessTokenTtlSeconds, config.refreshTokenTtlSeconds),
  })
  await app.register(security, { corsOrigins: config.corsOrigins })
  await app.register(rateLimit, {
    limits: config.rateLimits,
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    accountKey: (identifier) => loginAccountKey(db, identifier),
  })
  await app.register(docs)
  await app.register(healthRoutes)
  await app.register(authRoutes, { prefix: '/careers/users' })
  await app.register(accountRoutes, { prefix: '/careers/users' })
  await app.register(followsRoutes, { prefix: '/careers/users' })
  await app.register(usersRoutes, { prefix: '/careers/users' })

  answerOtherMethods(app, routes)
  return app
}
