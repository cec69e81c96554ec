// Single configuration values: each mistake becomes one sentence for the operator.

/** A configuration mistake the operator must fix; its message is one sentence, printed as is. */
export class ConfigError extends Error {}

export const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

export function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = nonEmpty(raw)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${value}".`)
  }
  return Number(value)
}

/** Seconds, or a number with a unit: 900, 15m, 1h, 7d. */
export function parseDuration(name: string, raw: string | undefined, fallbackSeconds: number): number {
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
export function parseMillis(name: string, raw: string | undefined, fallbackMs: number): number {
  const value = nonEmpty(raw)
  if (value === undefined) return fallbackMs
  const match = /^(\d+)(ms|s|m)?$/.exec(value)
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's']! : 0
  if (!match || ms < 1 || ms > 86_400_000) {
    throw new ConfigError(
      `${name} must be a duration from 1ms to 24h, in seconds or with a unit (250ms, 5s, 1m); got "${value}".`,
    )
  }
  return ms
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
