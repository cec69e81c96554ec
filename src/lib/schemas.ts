import { Type, type TSchema } from '@sinclair/typebox'

export const Timestamp = Type.String({ format: 'date-time', examples: ['2024-01-15T10:30:00Z'] })
export const NullableUrl = Type.Unsafe<string | null>({ type: ['string', 'null'], examples: ['https://example.com/avatar.jpg'] })

/** Every error body: `{"detail": "..."}` (with `code` where a client branches on it) or `{"field": ["..."]}`. */
const ErrorBody = Type.Object(
  { detail: Type.Optional(Type.String()), code: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'DRF-style error: `detail` (and `code`), or one key per bad field with a list of messages' },
)

export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]))
}

export const Message = Type.Object({ message: Type.String() })

export const UsernameParams = Type.Object({ username: Type.String({ description: 'Case-insensitive; `me` is the caller' }) })

export const bearerAuth = [{ bearerAuth: [] }]
