import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { notAuthenticated, tokenNotValid, userInactive } from '../errors.js'

/** The authenticated user, as handlers see it: never the password hash. */
export interface Caller {
  id: number
  username: string
  email: string
  first_name: string
  last_name: string
  bio: string
  avatar: string | null
  created_at: string
  updated_at: string
  posts_count: number
  followers_count: number
  following_count: number
}

/** What a valid access token says: whose it is and which session it belongs to. */
export interface AccessClaims {
  userId: number
  sessionId: string
}

export interface AuthOptions {
  /** The claims of a well-signed, unexpired access token; null for anything else. */
  verifyAccess: (token: string) => AccessClaims | null
  /** The active user of an open session; 'inactive' when that user is deactivated; undefined when the session ended or the user is gone. */
  resolveSession: (userId: number, sessionId: string) => Promise<Caller | 'inactive' | undefined>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: a valid access token of an open session is required (checked before the body, as in DRF). */
    authenticate: onRequestHookHandler
    /** onRequest hook: a token is optional, but one that is sent must be valid (as in DRF). */
    identify: onRequestHookHandler
  }
  interface FastifyRequest {
    user: Caller | null
    sessionId: string | null
  }
}

export default fp<AuthOptions>(
  async (app, { verifyAccess, resolveSession }) => {
    app.decorateRequest('user', null)
    app.decorateRequest('sessionId', null)

    async function resolveCaller(request: FastifyRequest, required: boolean): Promise<void> {
      const token = bearerToken(request.headers.authorization)
      if (token === undefined) {
        if (required) throw notAuthenticated()
        return
      }
      const claims = token === null ? null : verifyAccess(token)
      if (claims === null) throw tokenNotValid()
      const user = await resolveSession(claims.userId, claims.sessionId)
      if (user === 'inactive') throw userInactive()
      // An ended session or a deleted user: the token no longer stands for anyone.
      if (user === undefined) throw tokenNotValid()
      request.user = user
      request.sessionId = claims.sessionId
    }

    // Callback hooks: an anonymous request on a public route passes without a promise.
    const hook =
      (required: boolean): onRequestHookHandler =>
      (request, _reply, done) => {
        if (!required && request.headers.authorization === undefined) return done()
        resolveCaller(request, required).then(() => done(), done)
      }
    app.decorate('authenticate', hook(true))
    app.decorate('identify', hook(false))
  },
  { name: 'auth', dependencies: ['db'] },
)

/**
 * undefined: no credentials of our scheme (anonymous, as DRF treats another scheme);
 * null: a Bearer header that is malformed; otherwise the token.
 */
function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined
  // What clients send, `Bearer <token>`, read with two scans instead of a regular expression over the token's
  // 300 characters; anything else takes the general path below. (Any other whitespace left in a token here fails
  // its signature check, which answers as a malformed header does.)
  if (header.startsWith('Bearer ') && header.length > 7 && header.indexOf(' ', 7) === -1 && header.indexOf('\t', 7) === -1) {
    return header.slice(7)
  }
  const parts = header.trim().split(/\s+/)
  if (parts[0]?.toLowerCase() !== 'bearer') return undefined
  return parts.length === 2 && parts[1] !== '' ? parts[1]! : null
}

/** The authenticated caller; for handlers behind `app.authenticate`. */
export function caller(request: FastifyRequest): Caller {
  if (request.user === null) throw notAuthenticated()
  return request.user
}
