// The follows module's public surface: other modules import follows only from here.
export { default as followsRoutes } from './follows.routes.js'
export { deleteFollowsOf, followedAmong } from './follows.repository.js'
