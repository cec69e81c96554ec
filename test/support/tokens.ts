import { createHmac } from 'node:crypto'

/** The claims of a JWT, unverified. */
export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())
}

export function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** A JWT signed with HMAC (forged tokens for refusal tests). */
export function signJwt(header: object, payload: object, secret: string, digest: 'sha256' | 'sha512' = 'sha256'): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`
  return `${unsigned}.${createHmac(digest, secret).update(unsigned).digest('base64url')}`
}
