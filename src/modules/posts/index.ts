// The posts module's public surface: other modules import posts only from here.
import type { FastifyPluginAsync } from 'fastify'
import postsRoutes from './posts.routes.js'
import reactionsRoutes from './reactions.routes.js'

export { deleteUserContent } from './posts.service.js'

/** Posts, likes, comments, shares and the feed; registered under `/careers`. */
export const postsModule: FastifyPluginAsync = async (app) => {
  await app.register(postsRoutes)
  await app.register(reactionsRoutes)
}
