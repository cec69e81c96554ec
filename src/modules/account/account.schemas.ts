import { Type } from '@sinclair/typebox'
import { Timestamp } from '../../lib/schemas.js'

const PASSWORD_MAX = 128
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX, examples: ['password123'] })

const Session = Type.Object(
  {
    id: Type.String({ description: 'The session id (the `sid` claim of its tokens)' }),
    created_at: Timestamp,
    last_used_at: Timestamp,
    expires_at: Timestamp,
    user_agent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()], { description: 'The client IP, as TRUST_PROXY resolves it' }),
    current: Type.Boolean({ description: 'Whether this is the session of the token used' }),
  },
  { $id: 'Session' },
)

export const SessionsResponse = Type.Object(
  { count: Type.Integer(), results: Type.Array(Session) },
  { $id: 'SessionList', description: 'My open sessions, newest first' },
)

// Any text: an id that names no open session of mine is a 404, whatever its length.
export const SessionParams = Type.Object({ id: Type.String() })

export const ChangePasswordBody = Type.Object({
  old_password: Password,
  new_password: Type.String({ maxLength: PASSWORD_MAX, examples: ['a-new-password'] }),
  new_password_confirm: Type.String({ maxLength: PASSWORD_MAX, examples: ['a-new-password'] }),
})

export const DeleteAccountBody = Type.Object({ password: Password })
