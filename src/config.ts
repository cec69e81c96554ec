import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { ConfigError, DURATION_UNITS, parseInteger, parseDuration, parseMillis, nonEmpty } from './config-values.js'

export { ConfigError }

export type DatabaseConfig =
  | { dialect: 'sqlite'; filename: string }
  | ({ dialect: 'postgres'; connectionString: string; poolMax: number } & PostgresTimeouts)

/** Every wait on PostgreSQL is bounded (milliseconds). */
export interface PostgresTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectTimeoutMs: number
  /** `statement_timeout` on the server; the client gives up shortly after, even if the server is silent. */
  queryTimeoutMs: number
  /** `idle_in_transaction_session_timeout`: the server ends a session left in an open transaction. */
  idleInTransactionTimeoutMs: number
}

/** Limits on slow or greedy HTTP clients (milliseconds). */
export interface HttpLimits {
  requestTimeoutMs: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
  maxRequestsPerSocket: number
}

export interface Config {
  readonly host: string
  readonly port: number
  readonly database: DatabaseConfig
  /** Where generated state (the development JWT secret) is kept. */
  readonly dataDir: string
  /** Undefined until resolved: `resolveJwtSecret` fills it from the environment or the data folder. */
  readonly jwtSecret: string | undefined
  readonly accessTokenTtlSeconds: number
  readonly refreshTokenTtlSeconds: number
  readonly logLevel: string
  readonly http: HttpLimits
  /** `/ready` answers within this time, 503 if the database has not answered. */
  readonly readyTimeoutMs: number
  /** Connecting and migrating at start give up after this time. */
  readonly startupTimeoutMs: number
  /** GET /metrics: off, on (open), or on behind `Authorization: Bearer <metricsToken>`. */
  readonly metrics: boolean
  readonly metricsToken: string | undefined
  /** Undefined when `RATE_LIMITS=off`. */
  readonly rateLimits: RateLimits | undefined
  /** Limiter state in Redis when set (so that every process shares one count); in the process otherwise. */
  readonly redisUrl: string | undefined
  /** Prefix of every Redis key this service writes. */
  readonly redisKeyPrefix: string
  /** Fastify's `trustProxy`: which proxies' `X-Forwarded-For` is believed (none by default). */
  readonly trustProxy: boolean | number | string[]
  /** Origins allowed by CORS; none by default. */
  readonly corsOrigins: string[]
}

/** A limit: at most `count` in any `windowSeconds`. */
export interface Limit {
  readonly count: number
  readonly windowSeconds: number
}

export interface RateLimits {
  readonly loginFailuresPerAccount: Limit
  readonly loginsPerIp: Limit
  readonly registrationsPerIp: Limit
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const MIN_SECRET_LENGTH = 32

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const database = parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:./data/careers.sqlite', env)
  const jwtSecret = nonEmpty(env.JWT_SECRET)
  if (jwtSecret !== undefined && jwtSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`)
  }
  if (production && jwtSecret === undefined) {
    throw new ConfigError(
      `JWT_SECRET is required when NODE_ENV=production (a random string of at least ${MIN_SECRET_LENGTH} characters).`,
    )
  }
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}".`)
  }
  const metricsToken = nonEmpty(env.METRICS_TOKEN)
  const metricsSwitch = nonEmpty(env.METRICS) ?? (metricsToken === undefined ? 'off' : 'on')
  if (metricsSwitch !== 'on' && metricsSwitch !== 'off')
    throw new ConfigError(`METRICS must be on or off; got "${metricsSwitch}".`)
  const dataDir =
    database.dialect === 'sqlite' && database.filename !== ':memory:' ? dirname(resolve(database.filename)) : resolve('data')

  return Object.freeze({
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    port: parseInteger('PORT', env.PORT, 8000, 0, 65535),
    database,
    dataDir,
    jwtSecret,
    accessTokenTtlSeconds: parseDuration('ACCESS_TOKEN_TTL', env.ACCESS_TOKEN_TTL, 60 * 60),
    refreshTokenTtlSeconds: parseDuration('REFRESH_TOKEN_TTL', env.REFRESH_TOKEN_TTL, 7 * 24 * 60 * 60),
    logLevel,
    http: parseHttpLimits(env),
    readyTimeoutMs: parseMillis('READY_TIMEOUT', env.READY_TIMEOUT, 500),
    startupTimeoutMs: parseMillis('STARTUP_TIMEOUT', env.STARTUP_TIMEOUT, 10_000),
    metrics: metricsSwitch === 'on',
    metricsToken,
    rateLimits: parseRateLimits(env),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    redisKeyPrefix: nonEmpty(env.REDIS_KEY_PREFIX) ?? 'careers:',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  })
}

function parseHttpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const requestTimeoutMs = parseMillis('REQUEST_TIMEOUT', env.REQUEST_TIMEOUT, 30_000)
  const headersTimeoutMs = parseMillis('HEADERS_TIMEOUT', env.HEADERS_TIMEOUT, Math.min(10_000, requestTimeoutMs))
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `HEADERS_TIMEOUT (${headersTimeoutMs} ms) must not be longer than REQUEST_TIMEOUT (${requestTimeoutMs} ms).`,
    )
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: parseMillis('KEEP_ALIVE_TIMEOUT', env.KEEP_ALIVE_TIMEOUT, 72_000),
    maxRequestsPerSocket: parseInteger('MAX_REQUESTS_PER_SOCKET', env.MAX_REQUESTS_PER_SOCKET, 1000, 1, 1_000_000),
  }
}

/**
 * Outside production a missing JWT_SECRET is generated once and kept beside the database,
 * so that tokens survive restarts; an in-memory database gets a secret that lives as long as it.
 */
export function resolveJwtSecret(config: Config): Config {
  if (config.jwtSecret !== undefined) return config
  if (config.database.dialect === 'sqlite' && config.database.filename === ':memory:') {
    return Object.freeze({ ...config, jwtSecret: randomBytes(48).toString('base64url') })
  }
  const file = join(config.dataDir, 'jwt-secret')
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true })
    writeFileSync(file, randomBytes(48).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' })
    chmodSync(file, 0o600)
  }
  const secret = readFileSync(file, 'utf8').trim()
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `The secret in ${file} is shorter than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one.`,
    )
  }
  return Object.freeze({ ...config, jwtSecret: secret })
}

function parseDatabaseUrl(url: string, env: NodeJS.ProcessEnv): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (filename === '')
      throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/careers.sqlite or sqlite::memory:.')
    return { dialect: 'sqlite', filename }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      new URL(url)
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL.')
    }
    return {
      dialect: 'postgres',
      connectionString: url,
      poolMax: parseInteger('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 10, 1, 1000),
      connectTimeoutMs: parseMillis('DATABASE_CONNECT_TIMEOUT', env.DATABASE_CONNECT_TIMEOUT, 5000),
      queryTimeoutMs: parseMillis('DATABASE_QUERY_TIMEOUT', env.DATABASE_QUERY_TIMEOUT, 10_000),
      idleInTransactionTimeoutMs: parseMillis(
        'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT',
        env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
        30_000,
      ),
    }
  }
  throw new ConfigError('DATABASE_URL must start with sqlite: or postgres:// (e.g. sqlite:./data/careers.sqlite).')
}

function parseRateLimits(env: NodeJS.ProcessEnv): RateLimits | undefined {
  const switchValue = nonEmpty(env.RATE_LIMITS)?.toLowerCase() ?? 'on'
  if (switchValue !== 'on' && switchValue !== 'off') throw new ConfigError(`RATE_LIMITS must be on or off; got "${switchValue}".`)
  if (switchValue === 'off') return undefined
  return {
    loginFailuresPerAccount: parseLimit('LOGIN_FAILURES_PER_ACCOUNT', env.LOGIN_FAILURES_PER_ACCOUNT, '10/15m'),
    loginsPerIp: parseLimit('LOGINS_PER_IP', env.LOGINS_PER_IP, '100/15m'),
    registrationsPerIp: parseLimit('REGISTRATIONS_PER_IP', env.REGISTRATIONS_PER_IP, '20/1h'),
  }
}

/** `COUNT/WINDOW`, the window in seconds, minutes or hours: 10/15m, 100/900s, 20/1h. */
function parseLimit(name: string, raw: string | undefined, fallback: string): Limit {
  const value = nonEmpty(raw) ?? fallback
  const match = /^(\d{1,9})\/(\d{1,7})([smh])$/.exec(value)
  const count = match ? Number(match[1]) : 0
  const windowSeconds = match ? Number(match[2]) * DURATION_UNITS[match[3]!]! : 0
  if (!match || count < 1 || windowSeconds < 1) {
    throw new ConfigError(`${name} must be COUNT/WINDOW with a window in s, m or h (e.g. ${fallback}); got "${value}".`)
  }
  return { count, windowSeconds }
}

function parseRedisUrl(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw)
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379).')
  }
  return value
}

/** Fastify's trustProxy values: true/false, a hop count, or comma-separated addresses and CIDRs. */
function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  const value = nonEmpty(raw)
  if (value === undefined || value.toLowerCase() === 'false') return false
  if (value.toLowerCase() === 'true') return true
  if (/^\d+$/.test(value)) return parseInteger('TRUST_PROXY', value, 0, 0, 100)
  const entries = value.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/')
    const family = isIP(address ?? '')
    const maxBits = family === 6 ? 128 : 32
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits)
    if (family === 0 || !validBits || extra !== undefined) {
      throw new ConfigError(
        `TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs (e.g. 10.0.0.0/8,127.0.0.1); got "${entry}".`,
      )
    }
  }
  return entries
}

function parseCorsOrigins(raw: string | undefined): string[] {
  const value = nonEmpty(raw)
  if (value === undefined) return []
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '')
  for (const origin of origins) {
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {
      parsed = undefined
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new ConfigError(
        `CORS_ORIGINS must be comma-separated origins like https://app.example.com (no path); got "${origin}".`,
      )
    }
  }
  return origins
}
