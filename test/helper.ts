// Kept for branches written against the old helper: every definition lives in test/support/.
export { buildTestApp, DIALECT, JWT_SECRET, PASSWORD, useTestApp, type TestApp } from './support/app.js'
export { register, uniqueName, type Account } from './support/accounts.js'
export { keys } from './support/asserts.js'
