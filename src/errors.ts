/** Field errors in Django REST framework's shape: one key per field, each a list of messages. */
export type FieldErrors = Record<string, string[]>

/** An error the client caused or must see; the error handler sends `body` with `statusCode`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : `HTTP ${statusCode}`)
  }
}

export class ValidationError extends HttpError {
  constructor(readonly fields: FieldErrors) {
    super(400, fields)
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] })
  }
}

export const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="api"' }

export function badRequest(detail: string): HttpError {
  return new HttpError(400, { detail })
}

export function notFound(): HttpError {
  return new HttpError(404, { detail: 'Not found.' })
}

export function notAuthenticated(): HttpError {
  return new HttpError(401, { detail: 'Authentication credentials were not provided.' }, WWW_AUTHENTICATE)
}

export function tokenNotValid(detail = 'Given token not valid for any token type'): HttpError {
  return new HttpError(401, { detail, code: 'token_not_valid' }, WWW_AUTHENTICATE)
}

/** A valid token of a deactivated user (simplejwt's answer). */
export function userInactive(): HttpError {
  return new HttpError(401, { detail: 'User is inactive', code: 'user_inactive' }, WWW_AUTHENTICATE)
}

/** Collects field errors across checks, so that one response reports every bad field. */
export class FieldErrorCollector {
  // No prototype: a client's key may be named `toString` or `constructor`.
  readonly fields: FieldErrors = Object.create(null) as FieldErrors

  add(field: string, message: string): void {
    ;(this.fields[field] ??= []).push(message)
  }

  has(field: string): boolean {
    return field in this.fields
  }

  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw new ValidationError(this.fields)
  }
}
