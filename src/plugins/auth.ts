import type { FastifyReply as Reply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { notAuthenticated, tokenNotValid } from '../errors.js'
import { prepareDummyHash } from '../modules/auth/passwords.js'
import { findSessionUser, purgeExpiredSessions } from '../modules/auth/sessions.repository.js'
import type { TokenService } from '../modules/auth/tokens.js'
import type { UserRow } from '../modules/users/users.repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    tokens: TokenService
    /** onRequest hook: a valid access token of an open session is required (checked before the body, as in DRF). */
    authenticate: (request: FastifyRequest, reply: Reply) => Promise<void>
    /** onRequest hook: a token is optional, but one that is sent must be valid (as in DRF). */
    identify: (request: FastifyRequest, reply: Reply) => Promise<void>
  }
  interface FastifyRequest {
    user: UserRow | null
    sessionId: string | null
  }
}

const PURGE_INTERVAL_MS = 10 * 60 * 1000

export default fp<{ tokens: TokenService }>(
  async (app, { tokens }) => {
    app.decorate('tokens', tokens)
    app.decorateRequest('user', null)
    app.decorateRequest('sessionId', null)

    async function resolveCaller(request: FastifyRequest, required: boolean): Promise<void> {
      const token = bearerToken(request.headers.authorization)
      if (token === undefined) {
        if (required) throw notAuthenticated()
        return
      }
      const claims = token === null ? null : tokens.verify(token, 'access')
      if (claims === null) throw tokenNotValid()
      const user = await findSessionUser(app.db, claims.user_id, claims.sid, new Date().toISOString())
      // An ended session, a deactivated or deleted user: the token no longer stands for anyone.
      if (user === undefined) throw tokenNotValid()
      request.user = user
      request.sessionId = claims.sid
    }

    app.decorate('authenticate', (request: FastifyRequest) => resolveCaller(request, true))
    app.decorate('identify', (request: FastifyRequest) => resolveCaller(request, false))

    const purge = async (): Promise<void> => {
      try {
        const purged = await purgeExpiredSessions(app.db, new Date().toISOString())
        if (purged > 0) app.log.info({ purged }, 'expired sessions purged')
      } catch (error) {
        app.log.warn({ err: error }, 'purging expired sessions failed')
      }
    }
    const timer = setInterval(() => void purge(), PURGE_INTERVAL_MS).unref()
    app.addHook('onReady', async () => {
      await Promise.all([purge(), prepareDummyHash()])
    })
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'auth', dependencies: ['db'] },
)

/**
 * undefined: no credentials of our scheme (anonymous, as DRF treats another scheme);
 * null: a Bearer header that is malformed; otherwise the token.
 */
function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined
  const parts = header.trim().split(/\s+/)
  if (parts[0]?.toLowerCase() !== 'bearer') return undefined
  return parts.length === 2 && parts[1] !== '' ? parts[1]! : null
}

/** The authenticated caller; for handlers behind `app.authenticate`. */
export function caller(request: FastifyRequest): UserRow {
  if (request.user === null) throw notAuthenticated()
  return request.user
}
