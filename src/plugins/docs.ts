import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { completeDocument, nameTopLevelSchemas, type RouteDoc } from '../lib/openapi.js'

/**
 * OpenAPI 3.1 generated from the route schemas, at /openapi.json, with an interactive page at /docs.
 * Every route declares its `operationId`; what is the same for every route (error responses, security,
 * named component schemas, descriptions) is completed here, in one place (see src/lib/schemas.ts).
 */
export default fp(
  async (app) => {
    const routes = new Map<string, RouteDoc>()
    app.addHook('onRoute', (route) => {
      const schema = route.schema as { hide?: boolean; operationId?: string } | undefined
      if (schema?.hide || route.url.startsWith('/docs') || route.method === 'HEAD') return
      if (typeof schema?.operationId !== 'string') {
        throw new Error(
          `Route ${String(route.method)} ${route.url} has no schema.operationId (every documented route declares one).`,
        )
      }
      routes.set(schema.operationId, { auth: authOf(app, route) })
    })

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Careers network API',
          version: '1.0.0',
          description:
            'Accounts with JWT sessions, profiles, search and the follow graph. Errors follow Django REST framework: ' +
            '`{"field": ["message"]}` for validation, otherwise `{"detail": "...", "code"?: "..."}`.',
          license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
        },
        // Relative: the page's requests go to the server that serves it, on whatever host and port.
        servers: [{ url: '/', description: 'This server' }],
        tags: [
          { name: 'auth', description: 'Registration, login and sessions' },
          { name: 'users', description: 'Profiles, search and statistics' },
          { name: 'follows', description: 'The follow graph' },
          { name: 'posts', description: 'Posts, likes, comments, shares and the feed' },
          { name: 'operations', description: 'Liveness and readiness' },
        ],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      },
      // Schemas with an `$id` are listed under components.schemas by that name.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
      // @fastify/swagger inlines a response's top-level schema: keep its name for the hoisting in completeDocument.
      transform: ({ schema, url }) => ({ schema: nameTopLevelSchemas(schema), url }),
      transformObject: (documentObject) => {
        const document = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject
        return completeDocument(structuredClone(document) as Record<string, unknown>, routes) as typeof document
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, persistAuthorization: true } })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'docs', dependencies: ['auth'] },
)

function authOf(app: FastifyInstance, route: RouteOptions): RouteDoc['auth'] {
  const declared = (route.config as { auth?: RouteDoc['auth'] } | undefined)?.auth
  if (declared) return declared
  const hooks = [route.onRequest ?? []].flat()
  if (hooks.includes(app.authenticate)) return 'required'
  if (hooks.includes(app.identify)) return 'optional'
  return 'none'
}
