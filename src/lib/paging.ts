import type { FieldErrorCollector } from '../errors.js'

export interface Batch {
  size: number
  number: number
  limit: number
  offset: number
}

export interface BatchLimits {
  defaultSize: number
  maxSize: number
}

/** `batch_size` (≥ 1, clamped to the maximum) and `batch_number` (≥ 0); errors go to `errors`. */
export function readBatch(query: Record<string, unknown>, limits: BatchLimits, errors: FieldErrorCollector): Batch {
  const size = readInteger(query.batch_size, 'batch_size', 1, limits.defaultSize, errors)
  const number = readInteger(query.batch_number, 'batch_number', 0, 0, errors)
  const clamped = Math.min(size, limits.maxSize)
  return { size: clamped, number, limit: clamped, offset: clamped * number }
}

function readInteger(raw: unknown, field: string, min: number, fallback: number, errors: FieldErrorCollector): number {
  if (raw === undefined) return fallback
  const value = String(raw)
  if (!/^[+-]?\d+$/.test(value)) {
    errors.add(field, 'A valid integer is required.')
    return fallback
  }
  const parsed = Number(value)
  if (parsed < min) {
    errors.add(field, `Ensure this value is greater than or equal to ${min}.`)
    return fallback
  }
  // An integer too large to represent is still an integer: a size the caller clamps, a batch past the end.
  return Math.min(parsed, Number.MAX_SAFE_INTEGER)
}
