import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Limit, RateLimits } from '../config.js'
import { HttpError } from '../errors.js'

/** A route hook (onRequest or preHandler) that answers 429 when the request is over a limit. */
export type LimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>
type SendHook = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>

declare module 'fastify' {
  interface FastifyInstance {
    /** Route hooks of section 6's limits; each lets everything through when the limits are off. */
    limits: {
      /** onRequest of login: every attempt from one client IP counts. */
      loginsPerIp: LimitHook
      /** onRequest of registration: every attempt from one client IP counts. */
      registrationsPerIp: LimitHook
      /**
       * preHandler of login: refuses an account past its failures, before any password hash is computed; while
       * attempts in flight hold every reservation, waits (briefly) for them to settle.
       */
      loginFailures: LimitHook
      /** onSend of login: gives back the attempt `loginFailures` reserved unless the answer is a 401. */
      settleLoginFailure: SendHook
      /**
       * Runs a password check outside login (a password change, an account deletion) under the same per-account
       * count: past the limit it answers 429 without checking; a wrong password (`check` false) counts as a failure.
       */
      passwordCheck: (request: FastifyRequest, accountKey: string, check: () => Promise<boolean>) => Promise<boolean>
    }
  }
}

export interface RateLimitOptions {
  limits: RateLimits | undefined
  /** Shared state in Redis when set; in the process otherwise. */
  redisUrl: string | undefined
  /** Prefix of every Redis key, so that several deployments (or tests) can share one Redis. */
  keyPrefix: string
  /** The stable key of the account a login names (any case, username or email), without hashing anything. */
  accountKey: (identifier: string) => Promise<string>
}

const REDIS_TIMEOUT_MS = 500
// How long a login waits for the attempts in flight on its account to settle (a password check takes tens of
// milliseconds), and how often it looks.
const RESERVATION_WAIT_MS = 5000
const RESERVATION_POLL_MS = 20

// @fastify/rate-limit's own Redis store (it exports none). Its `child` names keys after the route, which a
// hook made by `app.rateLimit()` does not have (keys came out as `…undefinedundefined-…`); ours carry their name.
const RedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore
const letThrough: LimitHook = async () => {}
const sendAsIs: SendHook = async (_request, _reply, payload) => payload

/**
 * Section 6: logins and registrations per client IP through @fastify/rate-limit; failed logins per
 * account through rate-limiter-flexible. With Redis, every process shares one count. If Redis cannot be
 * reached, the per-IP limits let requests through (fail open) and the per-account limit falls back to a
 * count in this process, so the service keeps answering and brute force stays bounded.
 */
export default fp<RateLimitOptions>(
  async (app, { limits, redisUrl, keyPrefix, accountKey }) => {
    if (limits === undefined) {
      app.decorate('limits', {
        loginsPerIp: letThrough,
        registrationsPerIp: letThrough,
        loginFailures: letThrough,
        settleLoginFailure: sendAsIs,
        passwordCheck: async (_request, _key, check) => check(),
      })
      return
    }
    const redis = redisUrl === undefined ? undefined : await connectRedis(redisUrl, app.log)
    if (redis) app.addHook('onClose', async () => redis.disconnect())

    await app.register(rateLimit, {
      global: false,
      skipOnError: true,
      ...(redis ? { store: redisStore(redis, `${keyPrefix}ip:`) } : {}),
      errorResponseBuilder: (_request, context) => throttled(context.ttl),
    })
    const perIp = (name: string, limit: Limit): LimitHook => {
      const hook = app.rateLimit({
        max: limit.count,
        timeWindow: limit.windowSeconds * 1000,
        keyGenerator: (request) => `${name}:${request.ip}`,
      })
      return async (request, reply) => {
        await hook.call(app, request, reply)
      }
    }

    // Each attempt reserves a failure before its password is checked, so that parallel attempts cannot overshoot
    // the limit, and gives it back unless it answers 401 (a success, or a failure of ours such as a 503).
    const reservations = accountLimiter(limits.loginFailuresPerAccount, redis, `${keyPrefix}login-reservations`)
    // The failures that happened (401s), apart from those in flight: when every reservation is taken but these are
    // under the limit, attempts are still being checked, and a right password waits for them instead of a 429.
    const failures = accountLimiter(limits.loginFailuresPerAccount, redis, `${keyPrefix}login-failures`)
    const reserve = async (key: string): Promise<void> => {
      const deadline = Date.now() + RESERVATION_WAIT_MS
      for (;;) {
        try {
          await reservations.consume(key)
          return
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection
          // A refused consume still counted: give it back, so that only reservations and failures stay.
          await reservations.reward(key, 1)
          const failed = (await failures.get(key))?.consumedPoints ?? 0
          if (failed >= limits.loginFailuresPerAccount.count || Date.now() >= deadline) {
            throw throttled(rejection.msBeforeNext)
          }
          await sleep(RESERVATION_POLL_MS)
        }
      }
    }
    const settle = async (key: string, failed: boolean, log: FastifyBaseLogger): Promise<void> => {
      try {
        if (failed) await failures.penalty(key, 1)
        else await reservations.reward(key, 1)
      } catch (error) {
        log.warn({ err: error }, 'could not settle a login attempt')
      }
    }

    const reserved = new WeakMap<FastifyRequest, string>()
    const loginFailures: LimitHook = async (request) => {
      const key = await accountKey((request.body as { username: string }).username)
      await reserve(key)
      reserved.set(request, key)
    }
    const settleLoginFailure: SendHook = async (request, reply, payload) => {
      const key = reserved.get(request)
      if (key === undefined) return payload
      reserved.delete(request)
      await settle(key, reply.statusCode === 401, request.log)
      return payload
    }
    const passwordCheck = async (request: FastifyRequest, key: string, check: () => Promise<boolean>): Promise<boolean> => {
      await reserve(key)
      let right: boolean | undefined
      try {
        right = await check()
        return right
      } finally {
        // A check that failed on our side (a deleted account, the database) is no wrong password.
        await settle(key, right === false, request.log)
      }
    }

    app.decorate('limits', {
      loginsPerIp: perIp('login', limits.loginsPerIp),
      registrationsPerIp: perIp('register', limits.registrationsPerIp),
      loginFailures,
      settleLoginFailure,
      passwordCheck,
    })
  },
  { name: 'rate-limit' },
)

/** DRF's throttled answer, with `Retry-After` in whole seconds (at least 1). */
function throttled(msBeforeNext: number): HttpError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000))
  return new HttpError(
    429,
    { detail: `Request was throttled. Expected available in ${seconds} seconds.` },
    { 'retry-after': String(seconds) },
  )
}

/** The library's Redis store with one flat key space: `<prefix>ip:<limit name>:<client ip>`. */
function redisStore(redis: Redis, nameSpace: string): FastifyRateLimitStoreCtor {
  const store = new RedisStore(false, false, redis, nameSpace)
  return class FlatRedisStore implements FastifyRateLimitStore {
    incr = store.incr.bind(store)
    child(): FastifyRateLimitStore {
      return this
    }
  }
}

function accountLimiter(limit: Limit, redis: Redis | undefined, keyPrefix: string): RateLimiterAbstract {
  const options = { points: limit.count, duration: limit.windowSeconds, keyPrefix }
  if (redis === undefined) return new RateLimiterMemory(options)
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  })
}

/**
 * A client that never crashes the process and never makes a request wait long: no offline queue, bounded
 * timeouts, reconnects in the background. Startup waits for it briefly; if it is down, limits fail as above.
 */
async function connectRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: REDIS_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  })
  let healthy = true
  redis.on('error', (error: Error) => {
    if (healthy) log.warn({ err: error }, 'redis unavailable: rate limits fall back (per-IP open, per-account in process)')
    healthy = false
  })
  redis.on('ready', () => {
    if (!healthy) log.info('redis reachable again: rate limits shared')
    healthy = true
  })
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      redis.off('ready', done)
      resolve()
    }
    const timer = setTimeout(done, 2500)
    redis.once('ready', done)
  })
  return redis
}
