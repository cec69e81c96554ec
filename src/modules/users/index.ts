// The users module's public surface: other modules import users only from here.
export { default as usersRoutes } from './users.routes.js'
export { profileFromPath, statsOf } from './users.service.js'
export {
  createUser,
  findActiveUserName,
  findCredentials,
  PROFILE_COLUMNS,
  replacePasswordHash,
  takenIdentities,
  type Profile,
} from './users.repository.js'
export { Avatar, Bio, Email, FirstName, LastName, OwnProfile, Stats, UserSummary } from './users.schemas.js'
export {
  checkProfileFields,
  EMAIL_TAKEN,
  INVALID_USERNAME,
  isNormalUsername,
  isReservedUsername,
  passwordProblems,
  USERNAME_MAX,
  USERNAME_MIN,
  USERNAME_PATTERN,
  USERNAME_TAKEN,
} from './users.validation.js'
