import { Type, type TSchema, type TString } from '@sinclair/typebox'

/*
 * OpenAPI conventions (the docs plugin, src/plugins/docs.ts, completes every operation from these):
 * - Every route declares `schema.operationId` (camelCase verb + noun: `listUsers`, `getPost`, `likePost`);
 *   the app refuses to start when a documented route lacks one.
 * - A resource shape that clients name gets `$id: '<Name>'` (PascalCase) in its TypeBox options: the document
 *   lists it under `components.schemas.<Name>` and refers to it by `$ref`. Use each `$id` for one shape only.
 * - Optional-token routes use `onRequest: app.identify` (or `config: { auth: 'optional' }`): documented with
 *   security `[{}, {bearer: []}]`; `app.authenticate` (or `config: { auth: 'required' }`) → `[{bearer: []}]`.
 * - Error responses (400 field errors or detail, 401, 404 for path parameters, 405, 413/415 for bodies) are added
 *   by the plugin; declare only the ones it cannot know (403, 409, 429…) with `errorResponses(...)`.
 * - A query value validated by hand (to keep DRF's messages) stays a string at runtime and is documented with
 *   its real type through `documentedAs(schema, {type: 'integer', minimum, maximum})`.
 */

export const Timestamp = Type.String({ format: 'date-time', examples: ['2024-01-15T10:30:00Z'] })
export const NullableUrl = Type.Unsafe<string | null>({ type: ['string', 'null'], examples: ['https://example.com/avatar.jpg'] })

/** DRF's `{"detail": "...", "code"?: "..."}`. */
export const ErrorDetail = Type.Object(
  { detail: Type.String(), code: Type.Optional(Type.String({ examples: ['token_not_valid'] })) },
  { $id: 'ErrorDetail', description: 'An error not tied to one field; `code` where a client branches on it' },
)

/** DRF's field errors: one key per bad field (or `non_field_errors`), each a list of messages. */
export const FieldErrors = Type.Record(Type.String(), Type.Array(Type.String()), {
  $id: 'FieldErrors',
  description: 'One key per bad field, each a list of messages',
  examples: [{ password_confirm: ['Passwords do not match.'] }],
})

/**
 * The runtime schema of error bodies (serialisation only: loose on purpose, both DRF shapes pass through);
 * the document shows the typed `ErrorDetail` / `FieldErrors` instead.
 */
const ErrorBody = Type.Object(
  { detail: Type.Optional(Type.String()), code: Type.Optional(Type.String()) },
  { additionalProperties: true, 'x-error-body': true },
)

export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]))
}

/** One error status whose documented example is the route's own `detail` (e.g. its 403 message). */
export function errorResponse(status: number, detail: string): Record<number, TSchema> {
  return { [status]: { ...ErrorBody, 'x-example': { detail } } }
}

export const Message = Type.Object({ message: Type.String() }, { $id: 'Message' })

/** A `{username}` path parameter; `example` is the one the document shows (and /docs sends). */
export function usernameParams(example: string) {
  return Type.Object({
    username: documentedAs(Type.String({ description: 'Case-insensitive; `me` is the caller', examples: [example] }), {
      minLength: 1,
      maxLength: 150,
    }),
  })
}

export const UsernameParams = usernameParams('alice')

/** Documents security on authenticated routes (the docs plugin also derives it from `onRequest`). */
export const bearerAuth = [{ bearer: [] }]

/** Keywords shown in the OpenAPI document in place of (or on top of) the runtime schema's own. */
export function documentedAs<T extends TSchema>(schema: T, documented: Record<string, unknown>): T {
  return { ...schema, 'x-documented-as': documented }
}

/**
 * An integer query parameter validated by hand (DRF's messages), documented as an integer with its lower bound
 * (larger values are clamped or answer an empty page, never refused, so no upper bound is documented).
 */
export function integerQuery(options: { minimum: number; default: number; description: string }): TString {
  return documentedAs(Type.String({ description: options.description }), {
    type: 'integer',
    minimum: options.minimum,
    default: options.default,
    examples: [options.default],
  })
}
