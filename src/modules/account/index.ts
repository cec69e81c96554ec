export { default as accountRoutes } from './account.routes.js'
export { loginAccountKey } from './account.service.js'
