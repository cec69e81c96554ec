import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

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
}

/** A configuration mistake the operator must fix; its message is one sentence, printed as is. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const MIN_SECRET_LENGTH = 32
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

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
  const dataDir =
    database.dialect === 'sqlite' && database.filename !== ':memory:'
      ? dirname(resolve(database.filename))
      : resolve('data')

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
  })
}

function parseHttpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const requestTimeoutMs = parseMillis('REQUEST_TIMEOUT', env.REQUEST_TIMEOUT, 30_000)
  const headersTimeoutMs = parseMillis('HEADERS_TIMEOUT', env.HEADERS_TIMEOUT, Math.min(10_000, requestTimeoutMs))
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT (${headersTimeoutMs} ms) must not be longer than REQUEST_TIMEOUT (${requestTimeoutMs} ms).`)
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: parseMillis('KEEP_ALIVE_TIMEOUT', env.KEEP_ALIVE_TIMEOUT, 72_000),
    maxRequestsPerSocket: parseInteger('MAX_REQUESTS_PER_SOCKET', env.MAX_REQUESTS_PER_SOCKET, 100, 1, 1_000_000),
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
    throw new ConfigError(`The secret in ${file} is shorter than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one.`)
  }
  return Object.freeze({ ...config, jwtSecret: secret })
}

function parseDatabaseUrl(url: string, env: NodeJS.ProcessEnv): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (filename === '') throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/careers.sqlite or sqlite::memory:.')
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
      idleInTransactionTimeoutMs: parseMillis('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT', env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT, 30_000),
    }
  }
  throw new ConfigError('DATABASE_URL must start with sqlite: or postgres:// (e.g. sqlite:./data/careers.sqlite).')
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = nonEmpty(raw)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${value}".`)
  }
  return Number(value)
}

/** Seconds, or a number with a unit: 900, 15m, 1h, 7d. */
function parseDuration(name: string, raw: string | undefined, fallbackSeconds: number): number {
  const value = nonEmpty(raw)
  if (value === undefined) return fallbackSeconds
  const match = /^(\d+)([smhd]?)$/.exec(value)
  const seconds = match ? Number(match[1]) * DURATION_UNITS[match[2] || 's']! : 0
  if (!match || seconds < 1 || !Number.isSafeInteger(seconds)) {
    throw new ConfigError(`${name} must be a positive duration in seconds or with a unit (900, 15m, 1h, 7d); got "${value}".`)
  }
  return seconds
}

/** A timeout: seconds, or a number with a unit (250ms, 5s, 1m); always at least 1 ms and at most a day. */
function parseMillis(name: string, raw: string | undefined, fallbackMs: number): number {
  const value = nonEmpty(raw)
  if (value === undefined) return fallbackMs
  const match = /^(\d+)(ms|s|m)?$/.exec(value)
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's']! : 0
  if (!match || ms < 1 || ms > 86_400_000) {
    throw new ConfigError(`${name} must be a duration from 1ms to 24h, in seconds or with a unit (250ms, 5s, 1m); got "${value}".`)
  }
  return ms
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
