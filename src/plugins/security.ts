import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

export interface SecurityOptions {
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins: string[]
}

/**
 * Security headers for a JSON API (helmet) and CORS for the configured origins only. The policy lets the
 * /docs page load its own scripts, styles and images (swagger-ui serves them from /docs/static, with no
 * inline script) and nothing from elsewhere.
 */
export default fp<SecurityOptions>(
  async (app, { corsOrigins }) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          // swagger-ui sets inline styles from its scripts.
          styleSrc: ["'self'", "'unsafe-inline'"],
        },
      },
      // A JSON API is fetched across origins by the browsers CORS allows; those reads are CORS's business.
      crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    })
    await app.register(cors, {
      origin: corsOrigins.length > 0 ? corsOrigins : false,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    })
  },
  { name: 'security' },
)
