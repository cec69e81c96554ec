/*
 * Checks responses against the app's own OpenAPI document: the status must be documented for the operation
 * (405 for a documented path with another method) and the JSON body must validate against its schema.
 * Reusable by any test: `const contract = await openapiContract(app)`, then `contract.inject(...)` in place of
 * `app.inject(...)`, and `assert.deepEqual(contract.violations, [])` at the end.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

type Json = Record<string, unknown>

interface Operation {
  path: string
  method: string
  regex: RegExp
  params: number
  responses: Record<string, Json>
}

export interface OpenapiContract {
  document: Json
  /** `app.inject` whose response is checked against the document; a violation is recorded, not thrown. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
  /** Checks one response to a request (method, url) against the document. */
  check(method: string, url: string, response: { statusCode: number; body: string; headers: Record<string, unknown> }): void
  violations: string[]
  /** `operationId`s that answered at least once, for coverage checks. */
  seen: Set<string>
}

const UNDOCUMENTED_PREFIXES = ['/docs', '/openapi.json', '/metrics']

export async function openapiContract(
  app: FastifyInstance,
  document: Json = app.swagger() as unknown as Json,
): Promise<OpenapiContract> {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: 'doc', components: document.components })
  const compiled = new Map<string, ValidateFunction>()
  const validatorFor = (schema: unknown): ValidateFunction => {
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')
    let validate = compiled.get(text)
    if (!validate) compiled.set(text, (validate = ajv.compile(JSON.parse(text) as Json)))
    return validate
  }

  const operations: Operation[] = []
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    const pattern = path
      .replace(/\/$/, '')
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{[^}]+\}/g, '[^/]+')
    for (const [method, operation] of Object.entries(item)) {
      const { responses, operationId } = operation as { responses: Record<string, Json>; operationId: string }
      operations.push({
        path: operationId,
        method,
        regex: new RegExp(`^${pattern}/?$`),
        params: (path.match(/\{/g) ?? []).length,
        responses,
      })
    }
  }
  // Literal paths win over templated ones, as in every OpenAPI router (`/me/` before `/{username}/`).
  operations.sort((a, b) => a.params - b.params)

  const contract: OpenapiContract = {
    document,
    violations: [],
    seen: new Set(),
    async inject(options) {
      const response = await app.inject(options)
      contract.check(String(options.method ?? 'GET'), String(options.url ?? options.path ?? '/'), response)
      return response
    },
    check(method, url, response) {
      const path = new URL(url, 'http://localhost').pathname
      const verb = method.toLowerCase()
      if (verb === 'head' || UNDOCUMENTED_PREFIXES.some((prefix) => path.startsWith(prefix))) return
      const where = `${method} ${url} → ${response.statusCode}`
      const matching = operations.filter((operation) => operation.regex.test(path))
      // Several templates can match one path (`/me/stats/` and `/{username}/followers/` do not, `/login/` and
      // `/{username}/` do): the first with this method is the operation; none → the path's 405, or 404.
      const operation = matching.find((candidate) => candidate.method === verb)
      let schema: unknown
      if (operation) {
        contract.seen.add(operation.path)
        const documented = operation.responses[String(response.statusCode)]
        if (!documented) {
          contract.violations.push(`${where}: status not documented for ${operation.path}`)
          return
        }
        schema = (documented.content as Record<string, { schema: unknown }> | undefined)?.['application/json']?.schema
        if (schema === undefined) {
          if (response.body !== '') contract.violations.push(`${where}: a body where none is documented`)
          return
        }
      } else {
        const expected = matching.length > 0 ? 405 : 404
        if (response.statusCode !== expected && response.statusCode !== 400) {
          contract.violations.push(`${where}: expected ${expected} for an undocumented method or path`)
        }
        schema = { $ref: '#/components/schemas/ErrorDetail' }
      }
      let body: unknown
      try {
        body = JSON.parse(response.body)
      } catch {
        contract.violations.push(`${where}: body is not JSON`)
        return
      }
      const validate = validatorFor(schema)
      if (!validate(body))
        contract.violations.push(`${where}: ${ajv.errorsText(validate.errors)} in ${response.body.slice(0, 200)}`)
    },
  }
  return contract
}
