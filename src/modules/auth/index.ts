import type { FastifyPluginAsync } from 'fastify'
import authRoutes from './auth.routes.js'
import { purgeExpired } from './auth.service.js'
import { prepareDummyHash } from './passwords.js'
import type { TokenService } from './tokens.js'

// The auth module's public surface: other modules and app.ts import auth only from here.
export { resolveSession } from './auth.service.js'
export { createTokenService } from './tokens.js'
export { hashPassword, verifyPassword } from './passwords.js'

const PURGE_INTERVAL_MS = 10 * 60 * 1000

/** The auth routes, and the module's housekeeping: expired sessions purged at start and every 10 minutes. */
export const authModule: FastifyPluginAsync<{ tokens: TokenService }> = async (app, { tokens }) => {
  const purge = async (): Promise<void> => {
    try {
      const purged = await purgeExpired(app.db)
      if (purged > 0) app.log.info({ purged }, 'expired sessions purged')
    } catch (error) {
      app.log.warn({ err: error }, 'purging expired sessions failed')
    }
  }
  const timer = setInterval(() => void purge(), PURGE_INTERVAL_MS).unref()
  // The dummy hash is computed at start, so that even the first login of an unknown user costs one verification.
  app.addHook('onReady', async () => {
    await Promise.all([purge(), prepareDummyHash()])
  })
  app.addHook('onClose', async () => clearInterval(timer))
  await app.register(authRoutes, { tokens })
}
