/**
 * Which database errors mean "the database is unavailable right now" (the client may retry: 503)
 * rather than a defect (500), and how to name their cause in one short log line.
 */

interface DriverError {
  code?: unknown
  errno?: unknown
  message?: unknown
}

// SQLSTATE classes and codes for a lost, refused, cancelled or read-only server (PostgreSQL appendix A).
const PG_UNAVAILABLE_CLASSES = ['08', '53', '57', '58']
const PG_UNAVAILABLE_CODES = new Set(['25006', '25P03', '40001', '40P01', '55P03'])
// Node's socket errors.
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])
// pg's own client-side failures carry no code, only these messages.
const PG_CLIENT_MESSAGES = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Postgres connection has been discarded',
]
// better-sqlite3 codes (extended codes start with the primary one): busy, locked, disk full, read-only, I/O.
const SQLITE_UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
]

function codeOf(error: unknown): string | undefined {
  const { code } = (error ?? {}) as DriverError
  return typeof code === 'string' ? code : undefined
}

function messageOf(error: unknown): string {
  const { message } = (error ?? {}) as DriverError
  return typeof message === 'string' ? message : String(error)
}

function isSqlState(code: string | undefined): code is string {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code)
}

/** A database that is down, unreachable, too slow, full or read-only: the request may succeed later. */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error)
  if (code !== undefined) {
    if (code.startsWith('SQLITE_')) return SQLITE_UNAVAILABLE.some((prefix) => code.startsWith(prefix))
    if (NET_CODES.has(code)) return true
    if (isSqlState(code)) return PG_UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) || PG_UNAVAILABLE_CODES.has(code)
    return false
  }
  const message = messageOf(error)
  return PG_CLIENT_MESSAGES.some((known) => message.startsWith(known))
}

/**
 * A failure after which a PostgreSQL connection cannot be trusted (lost, timed out with a query still
 * running, shut down by the server): the pool must replace it rather than hand it out again.
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = codeOf(error)
  if (isSqlState(code)) return code.startsWith('08') || code.startsWith('57P') || code === '25P03'
  return true
}

/** The cause in one line: the driver's code and its first line of message (no stack, no SQL). */
export function causeOf(error: unknown): { code: string; message: string } {
  const code = codeOf(error) ?? (error instanceof Error ? error.name : 'Error')
  return { code, message: messageOf(error).split('\n')[0]!.slice(0, 300) }
}
