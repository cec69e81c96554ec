import type { TSchema } from '@sinclair/typebox'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { FastifySchemaCompiler } from 'fastify'
import { FieldErrorCollector, HttpError, ValidationError } from '../errors.js'

/**
 * A check that JSON Schema cannot express (password confirmation, reserved names, URLs…).
 * It runs after the schema, on the same data, so that one 400 lists every bad field.
 * Fields that already failed the schema are skipped by `errors.has(field)`.
 */
export type Refinement = (data: Record<string, unknown>, errors: FieldErrorCollector) => void

const REFINEMENT = Symbol('refinement')
const NULL_CHARACTER = '\u0000'

/** Attaches a refinement to a body or querystring schema; the schema itself is unchanged for docs and types. */
export function refined<T extends TSchema>(schema: T, refinement: Refinement): T {
  return Object.assign(schema, { [REFINEMENT]: refinement })
}

/**
 * Fastify's validator compiler, answering in DRF's shape: `{field: [messages]}`.
 * Types are never coerced (`"2"` is not an integer) and no key is silently dropped.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<TSchema> {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
    verbose: true,
  })
  return ({ schema, httpPart }) => {
    const validate = ajv.compile(schema)
    const refinement = (schema as { [REFINEMENT]?: Refinement })[REFINEMENT]
    return (input: unknown) => {
      // Fastify hands an absent body over as null; like DRF, treat it as an empty object.
      const data = input === null && httpPart === 'body' ? {} : input
      if (httpPart === 'body' && !isPlainObject(data)) return { error: notAnObject(data) }
      const valid = validate(data)
      // The common case of a path: nothing more to check, so no error collector is made.
      if (valid && httpPart === 'params' && refinement === undefined) return { value: data }
      const errors = new FieldErrorCollector()
      if (!valid) collectSchemaErrors(validate, errors)
      if (isPlainObject(data)) {
        // In a path a NUL just names nothing (404); in a body or query it is refused before any database sees it.
        if (httpPart !== 'params') rejectNullCharacters(data, errors)
        refinement?.(data, errors)
      }
      const fields = errors.fields
      return Object.keys(fields).length > 0 ? { error: new ValidationError(fields) } : { value: data }
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function notAnObject(value: unknown): HttpError {
  const kind = Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'string' ? 'str' : typeof value
  return new HttpError(400, { detail: `Invalid data. Expected a JSON object, but got ${kind}.` })
}

function collectSchemaErrors(validate: ValidateFunction, errors: FieldErrorCollector): void {
  for (const error of validate.errors ?? []) {
    const field = fieldOf(error)
    const message = messageFor(error)
    // One message per field is enough; a union type reports each branch, keep the first.
    if (field !== undefined && message !== undefined && !errors.has(field)) errors.add(field, message)
  }
}

function fieldOf(error: ErrorObject): string | undefined {
  if (error.keyword === 'required') return String(error.params.missingProperty)
  if (error.keyword === 'additionalProperties') return String(error.params.additionalProperty)
  const [field] = error.instancePath.split('/').slice(1)
  return field === undefined ? 'non_field_errors' : field.replace(/~1/g, '/').replace(/~0/g, '~')
}

function messageFor(error: ErrorObject): string | undefined {
  const custom = (error.parentSchema as { 'x-error'?: string } | undefined)?.['x-error']
  switch (error.keyword) {
    case 'required':
      return 'This field is required.'
    case 'additionalProperties':
      return 'This field cannot be changed here.'
    case 'type':
      return error.data === null ? 'This field may not be null.' : typeMessage(String(error.params.type))
    case 'anyOf':
      return undefined
    case 'maxLength':
      return `Ensure this field has no more than ${String(error.params.limit)} characters.`
    case 'minLength':
      return error.data === ''
        ? 'This field may not be blank.'
        : `Ensure this field has at least ${String(error.params.limit)} characters.`
    case 'minimum':
      return `Ensure this value is greater than or equal to ${String(error.params.limit)}.`
    case 'maximum':
      return `Ensure this value is less than or equal to ${String(error.params.limit)}.`
    default:
      return custom ?? 'Invalid value.'
  }
}

function typeMessage(expected: string): string | undefined {
  if (expected === 'null') return undefined
  if (expected === 'integer' || expected === 'number') return 'A valid integer is required.'
  if (expected === 'boolean') return 'Must be a valid boolean.'
  return 'Not a valid string.'
}

function rejectNullCharacters(data: Record<string, unknown>, errors: FieldErrorCollector): void {
  for (const [field, value] of Object.entries(data)) {
    if (typeof value === 'string' && value.includes(NULL_CHARACTER) && !errors.has(field)) {
      errors.add(field, 'Null characters are not allowed.')
    }
  }
}
