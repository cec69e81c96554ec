import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/connect.js'
import { constraintFieldError, inTransaction } from '../../db/transaction.js'
import { badRequest, FieldErrorCollector, HttpError, tokenNotValid, WWW_AUTHENTICATE } from '../../errors.js'
import type { Caller } from '../../plugins/auth.js'
import {
  createUser,
  EMAIL_TAKEN,
  findCredentials,
  replacePasswordHash,
  takenIdentities,
  USERNAME_TAKEN,
  type Profile,
} from '../users/index.js'
import { hashPassword, isOutdated, verifyAgainstDummy, verifyPassword } from './passwords.js'
import {
  createSession,
  endSession,
  findSessionUser,
  isSessionOfInactiveUser,
  purgeExpiredSessions,
  touchSession,
} from './sessions.repository.js'
import type { TokenPair, TokenService } from './tokens.js'

const USER_AGENT_MAX = 500

/** Where a session is opened from (kept with the session). */
export interface Client {
  userAgent: string | undefined
  ip: string
}

export interface Registration {
  username: string
  email: string
  password: string
  first_name?: string
  last_name?: string
  bio?: string
  avatar?: string | null
}

/** Opens a session for the user and returns its token pair (both carry the session id as `sid`). */
async function openSession(db: Db, tokens: TokenService, userId: number, client: Client, now: Date): Promise<TokenPair> {
  const sessionId = randomUUID()
  const expiresAt = new Date(now.getTime() + tokens.refreshTtlSeconds * 1000).toISOString()
  const userAgent = client.userAgent?.slice(0, USER_AGENT_MAX) ?? null
  await createSession(db, { id: sessionId, userId, expiresAt, userAgent, ip: client.ip }, now.toISOString())
  return tokens.issuePair(userId, sessionId)
}

export async function register(
  db: Db,
  tokens: TokenService,
  body: Registration,
  client: Client,
): Promise<{ user: Profile } & TokenPair> {
  await refuseTakenIdentities(db, body)
  const passwordHash = await hashPassword(body.password)
  const now = new Date()
  try {
    return await inTransaction(db, async (trx) => {
      const user = await createUser(
        trx,
        {
          username: body.username,
          email: body.email,
          passwordHash,
          firstName: body.first_name ?? '',
          lastName: body.last_name ?? '',
          bio: body.bio ?? '',
          avatar: body.avatar || null,
        },
        now.toISOString(),
      )
      return { user, ...(await openSession(trx, tokens, user.id, client, now)) }
    })
  } catch (error) {
    const conflict = constraintFieldError(error)
    if (conflict === undefined) throw error
    // Another registration of the same name or email committed between our check and our insert: answer as the
    // check would now (both fields when both are taken; the constraint names only the first it met).
    await refuseTakenIdentities(db, body)
    throw conflict
  }
}

async function refuseTakenIdentities(db: Db, body: Registration): Promise<void> {
  const taken = await takenIdentities(db, body.username, body.email)
  const errors = new FieldErrorCollector()
  if (taken.username) errors.add('username', USERNAME_TAKEN)
  if (taken.email) errors.add('email', EMAIL_TAKEN)
  errors.throwIfAny()
}

export async function logIn(
  db: Db,
  tokens: TokenService,
  identifier: string,
  password: string,
  client: Client,
): Promise<{ user: Profile } & TokenPair> {
  const credentials = await findCredentials(db, identifier)
  // Unknown user, wrong password and inactive account cost the same and answer the same.
  const passwordMatches = credentials
    ? await verifyPassword(credentials.password_hash, password)
    : await verifyAgainstDummy(password)
  if (credentials === undefined || !passwordMatches || !credentials.is_active) {
    throw new HttpError(401, { detail: 'No active account found with the given credentials' }, WWW_AUTHENTICATE)
  }
  if (isOutdated(credentials.password_hash)) {
    await replacePasswordHash(db, credentials.id, credentials.password_hash, await hashPassword(password))
  }
  const { username_key: _key, password_hash: _hash, is_active: _active, ...user } = credentials
  return { user, ...(await openSession(db, tokens, user.id, client, new Date())) }
}

export async function refresh(db: Db, tokens: TokenService, refreshToken: string): Promise<string> {
  const claims = tokens.verify(refreshToken, 'refresh')
  const now = new Date().toISOString()
  const user = claims && (await findSessionUser(db, claims.user_id, claims.sid, now))
  if (!claims || !user) throw tokenNotValid('Token is invalid or expired')
  await touchSession(db, claims.sid, now)
  return tokens.issueAccess(user.id, claims.sid)
}

/** Idempotent: ending a session that has already ended changes nothing. */
export async function logOut(db: Db, tokens: TokenService, user: Caller, refreshToken: string): Promise<void> {
  const claims = tokens.verify(refreshToken, 'refresh')
  if (claims === null) throw badRequest('Token is invalid or expired')
  if (claims.user_id !== user.id) throw badRequest('The refresh token does not belong to the authenticated user.')
  await endSession(db, user.id, claims.sid)
}

/**
 * For the auth plugin: the caller behind an access token's session if it is still open; 'inactive' when it is
 * open but its user was deactivated (simplejwt's `user_inactive`).
 */
export async function resolveSession(db: Db, userId: number, sessionId: string): Promise<Caller | 'inactive' | undefined> {
  const now = isoNow()
  const user = await findSessionUser(db, userId, sessionId, now)
  if (user !== undefined) return user
  return (await isSessionOfInactiveUser(db, userId, sessionId, now)) ? 'inactive' : undefined
}

let nowMs = -1
let nowIso = ''

/** The time as ISO text, formatted once per millisecond: every authenticated request asks for it. */
function isoNow(): string {
  const ms = Date.now()
  if (ms !== nowMs) {
    nowMs = ms
    nowIso = new Date(ms).toISOString()
  }
  return nowIso
}

export function purgeExpired(db: Db): Promise<number> {
  return purgeExpiredSessions(db, new Date().toISOString())
}
