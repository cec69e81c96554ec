/* Completes the generated OpenAPI document: what every route shares is written here once, not per route. */

import { ErrorDetail, FieldErrors } from './schemas.js'

type Json = Record<string, unknown>

export interface RouteDoc {
  /** `required`: a bearer token is needed; `optional`: a token, if sent, personalises the answer (and must be valid). */
  auth: 'required' | 'optional' | 'none'
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })

const STATUS_TEXT: Record<number, string> = {
  200: 'Success',
  201: 'Created',
  204: 'No content',
  400: 'Invalid input: field errors (`{"field": ["message"]}`), or `{"detail"}` for JSON that is broken or not an object',
  401: 'Authentication credentials were not provided, or the token is not valid (`code: token_not_valid`)',
  403: 'Not allowed to act on this resource',
  404: 'Not found',
  405: 'Method not allowed on this path (see the `Allow` header)',
  408: 'The request took too long to arrive',
  413: 'Request body larger than 64 KiB',
  415: 'Unsupported media type: send `Content-Type: application/json`',
  429: 'Too many requests: retry after the number of seconds in `Retry-After`',
  500: 'Internal server error',
  503: 'Service unavailable',
}

const ERROR_EXAMPLES: Record<number, Json> = {
  400: { password_confirm: ['Passwords do not match.'] },
  401: { detail: 'Authentication credentials were not provided.' },
  403: { detail: 'You do not have permission to perform this action.' },
  404: { detail: 'Not found.' },
  405: { detail: 'Method "PUT" not allowed.' },
  413: { detail: 'Request body is larger than 64 KiB.' },
  415: { detail: 'Unsupported media type "text/plain" in request.' },
  429: { detail: 'Request was throttled. Expected available in 60 seconds.' },
  503: { detail: 'Service temporarily unavailable.' },
}

export function completeDocument(document: Json, routes: ReadonlyMap<string, RouteDoc>): Json {
  const named: Json = {}
  const hoisted = hoistNamedSchemas(
    replaceDocumentedKeywords({ ...document, errorSchemas: [ErrorDetail, FieldErrors] }),
    named,
  ) as Json
  delete hoisted.errorSchemas
  const components = (hoisted.components ?? {}) as Json
  components.schemas = sortedByKey({ ...((components.schemas ?? {}) as Json), ...named })
  hoisted.components = components
  for (const [path, item] of Object.entries((hoisted.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined
      // Every route of the API reads the database, and answers 503 while it cannot be reached.
      if (operation) completeOperation(method, operation, routes, path.startsWith('/careers/'))
    }
  }
  return hoisted
}

function completeOperation(method: string, operation: Json, routes: ReadonlyMap<string, RouteDoc>, database: boolean): void {
  const id = operation.operationId as string
  const route = routes.get(id) ?? { auth: 'none' }
  const parameters = (operation.parameters ?? []) as Json[]
  const hasBody = operation.requestBody !== undefined || ['post', 'put', 'patch', 'delete'].includes(method)
  const hasPathParams = parameters.some((parameter) => parameter.in === 'path')

  const statuses = new Set<number>([405])
  if (hasBody || parameters.length > 0) statuses.add(400)
  if (hasBody) statuses.add(413).add(415)
  if (route.auth !== 'none') statuses.add(401)
  if (hasPathParams) statuses.add(404)
  if (database) statuses.add(503)

  const responses = (operation.responses ??= {}) as Record<string, Json>
  for (const status of statuses) responses[status] ??= {}
  for (const [key, response] of Object.entries(responses)) {
    const status = Number(key)
    if (status >= 400) {
      responses[key] = errorResponse(status, response)
    } else if (response.description === undefined || response.description === 'Default Response') {
      response.description = STATUS_TEXT[status] ?? 'Success'
    }
  }
  operation.responses = sortedByKey(responses)

  if (route.auth === 'required') operation.security = [{ bearer: [] }]
  else if (route.auth === 'optional') operation.security = [{}, { bearer: [] }]
  else operation.security = []

  if (typeof operation.description !== 'string') {
    const access =
      route.auth === 'required'
        ? 'Requires a bearer access token.'
        : route.auth === 'optional'
          ? 'Public; a bearer token, if sent, personalises the answer and must be valid.'
          : 'Public.'
    operation.description = `${String(operation.summary ?? id)}. ${access}`
  }
}

function errorResponse(status: number, response: Json): Json {
  const headers = (response.headers ?? {}) as Json
  if (status === 401) headers['WWW-Authenticate'] = { description: 'Always `Bearer realm="api"`', schema: { type: 'string' } }
  if (status === 405) headers.Allow = { description: 'The methods this path answers', schema: { type: 'string' } }
  if (status === 429) headers['Retry-After'] = { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } }
  const schema = status === 400 ? { anyOf: [ref('FieldErrors'), ref('ErrorDetail')] } : ref('ErrorDetail')
  const declared = ((response.content as Record<string, Json> | undefined)?.['application/json']?.schema as Json | undefined)?.[
    'x-example'
  ]
  const described = typeof response.description === 'string' && response.description !== 'Default Response'
  return {
    description: described ? response.description : (STATUS_TEXT[status] ?? 'Error'),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      'application/json': { schema, example: declared ?? ERROR_EXAMPLES[status] ?? { detail: STATUS_TEXT[status] ?? 'Error' } },
    },
  }
}

/** Top-level response schemas keep their `$id` as `x-component` (swagger would drop it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- @fastify/swagger's transform hands over `any`
export function nameTopLevelSchemas(schema: any): any {
  const responses = schema?.response as Record<string, Json> | undefined
  if (!responses) return schema
  const renamed = Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      if (typeof response.$id !== 'string') return [status, response]
      const { $id, ...rest } = response
      return [status, { ...rest, 'x-component': $id }]
    }),
  )
  return { ...schema, response: renamed }
}

/** `documentedAs(...)` (src/lib/schemas.ts): the runtime schema's keywords, overridden by the documented ones. */
function replaceDocumentedKeywords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceDocumentedKeywords)
  if (typeof value !== 'object' || value === null) return value
  const object = value as Json
  const out: Json = {}
  for (const [key, child] of Object.entries(object)) if (key !== 'x-documented-as') out[key] = replaceDocumentedKeywords(child)
  const documented = object['x-documented-as'] as Json | undefined
  return documented ? { ...out, ...documented } : out
}

/** Every schema with an `$id` becomes `components.schemas[$id]`, referred to by `$ref`. */
function hoistNamedSchemas(value: unknown, schemas: Json): unknown {
  if (Array.isArray(value)) return value.map((child) => hoistNamedSchemas(child, schemas))
  if (typeof value !== 'object' || value === null) return value
  const object = value as Json
  const out: Json = {}
  for (const [key, child] of Object.entries(object)) {
    if (key === '$id' || key === 'x-component' || key === 'x-error-body' || key === 'x-error') continue
    // Component schemas already hoisted keep their keys; the walk below only rewrites their insides.
    out[key] = hoistNamedSchemas(child, schemas)
  }
  const name = object.$id ?? object['x-component']
  if (typeof name !== 'string') return out
  const existing = schemas[name]
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(out)) {
    throw new Error(`Two different schemas are named ${name} ($id); give each shape its own $id.`)
  }
  schemas[name] = out
  return ref(name)
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)))
}
