import { Type } from '@sinclair/typebox'
import { refined } from '../../lib/validation.js'
import {
  Avatar,
  Bio,
  checkProfileFields,
  Email,
  FirstName,
  INVALID_USERNAME,
  isNormalUsername,
  isReservedUsername,
  LastName,
  OwnProfile,
  passwordProblems,
  USERNAME_MAX,
  USERNAME_MIN,
  USERNAME_PATTERN,
} from '../users/index.js'

const MAX_PASSWORD_LENGTH = 128

const Username = Type.String({
  minLength: USERNAME_MIN,
  maxLength: USERNAME_MAX,
  pattern: USERNAME_PATTERN,
  'x-error': INVALID_USERNAME,
  examples: ['alice'],
})
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, examples: ['password123'] })

export const RegisterBody = refined(
  Type.Object(
    {
      username: Username,
      email: Email,
      password: Password,
      password_confirm: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, examples: ['password123'] }),
      first_name: Type.Optional(FirstName),
      last_name: Type.Optional(LastName),
      bio: Type.Optional(Bio),
      avatar: Type.Optional(Avatar),
    },
    {
      examples: [
        {
          username: 'alice',
          email: 'alice@example.com',
          password: 'password123',
          password_confirm: 'password123',
          first_name: 'Alice',
          last_name: 'Smith',
          bio: 'Software developer',
          avatar: 'https://example.com/avatar.jpg',
        },
      ],
    },
  ),
  (data, errors) => {
    checkProfileFields(data, errors)
    if (typeof data.username === 'string' && !errors.has('username') && !isNormalUsername(data.username)) {
      errors.add('username', INVALID_USERNAME)
    }
    if (typeof data.username === 'string' && !errors.has('username') && isReservedUsername(data.username)) {
      errors.add('username', 'This username is reserved.')
    }
    if (typeof data.password === 'string' && !errors.has('password')) {
      for (const problem of passwordProblems(data.password, data.username, data.email)) errors.add('password', problem)
    }
    const comparable = typeof data.password === 'string' && typeof data.password_confirm === 'string'
    if (comparable && !errors.has('password_confirm') && data.password_confirm !== data.password) {
      errors.add('password_confirm', 'Passwords do not match.')
    }
  },
)

const RegisteredUser = Type.Pick(OwnProfile, ['id', 'username', 'email', 'first_name', 'last_name', 'bio', 'created_at'], {
  $id: 'User',
})

const AccessToken = Type.String({ description: 'JWT access token (60 minutes by default)' })
const RefreshToken = Type.String({ description: 'JWT refresh token (7 days by default)' })

export const RegisterResponse = Type.Object(
  { user: RegisteredUser, access: AccessToken, refresh: RefreshToken },
  { $id: 'Registration' },
)

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254, description: 'Username or email', examples: ['alice'] }),
    password: Type.String({ minLength: 1, maxLength: 1024, examples: ['password123'] }),
  },
  { examples: [{ username: 'alice', password: 'password123' }] },
)

export const LoginResponse = Type.Object(
  {
    user: Type.Pick(OwnProfile, ['id', 'username', 'email', 'first_name', 'last_name'], { $id: 'LoginUser' }),
    access: AccessToken,
    refresh: RefreshToken,
  },
  { $id: 'TokenPair' },
)

export const RefreshBody = Type.Object({
  refresh: Type.String({ minLength: 1, maxLength: 4096, description: 'The refresh token from register or login' }),
})
export const RefreshResponse = Type.Object({ access: AccessToken }, { $id: 'AccessToken' })
