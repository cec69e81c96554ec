import { randomUUID } from 'node:crypto'
import { createSigner, createVerifier } from 'fast-jwt'

export type TokenType = 'access' | 'refresh'

/** djangorestframework-simplejwt's claims, plus `sid`: the session the token belongs to. */
export interface TokenClaims {
  token_type: TokenType
  exp: number
  iat: number
  jti: string
  user_id: number
  sid: string
}

export interface TokenPair {
  access: string
  refresh: string
}

export interface TokenService {
  issuePair(userId: number, sessionId: string): TokenPair
  issueAccess(userId: number, sessionId: string): string
  /** The claims of a well-signed, unexpired token of the expected type; null for anything else. */
  verify(token: string, expected: TokenType): TokenClaims | null
  readonly refreshTtlSeconds: number
}

const ALGORITHM = 'HS256'

export function createTokenService(secret: string, accessTtlSeconds: number, refreshTtlSeconds: number): TokenService {
  // iat and exp are set here (the signer keeps a given iat), so that both tokens of a pair agree.
  const sign = createSigner({ key: secret, algorithm: ALGORITHM })
  // The algorithm is pinned: `none` and every other family are refused. Verified tokens are cached by the
  // token itself: fast-jwt's default key is a SHA-256 of it, against tokens in a heap dump, which cost 5 % of
  // an authenticated read, and such a dump holds the signing secret anyway.
  const verifier = createVerifier({ key: secret, algorithms: [ALGORITHM], cache: 10_000, cacheKeyBuilder: (token) => token })

  function issue(type: TokenType, userId: number, sessionId: string, ttl: number, now: number): string {
    const claims: TokenClaims = {
      token_type: type,
      exp: now + ttl,
      iat: now,
      jti: randomUUID().replaceAll('-', ''),
      user_id: userId,
      sid: sessionId,
    }
    return sign(claims)
  }

  return {
    refreshTtlSeconds,
    issuePair(userId, sessionId) {
      const now = Math.floor(Date.now() / 1000)
      return {
        access: issue('access', userId, sessionId, accessTtlSeconds, now),
        refresh: issue('refresh', userId, sessionId, refreshTtlSeconds, now),
      }
    },
    issueAccess(userId, sessionId) {
      return issue('access', userId, sessionId, accessTtlSeconds, Math.floor(Date.now() / 1000))
    },
    verify(token, expected) {
      let claims: Partial<TokenClaims>
      try {
        claims = verifier(token) as Partial<TokenClaims>
      } catch {
        return null
      }
      const wellFormed =
        claims.token_type === expected &&
        Number.isSafeInteger(claims.user_id) &&
        (claims.user_id ?? 0) > 0 &&
        typeof claims.sid === 'string' &&
        typeof claims.jti === 'string' &&
        typeof claims.exp === 'number' &&
        typeof claims.iat === 'number'
      return wellFormed ? (claims as TokenClaims) : null
    },
  }
}
