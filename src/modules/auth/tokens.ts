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
  // The algorithm is pinned: `none` and every other family are refused.
  const verifier = createVerifier({ key: secret, algorithms: [ALGORITHM] })
  const verified = new VerifiedTokens(10_000)

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
      let claims = verified.get(token)
      if (claims === undefined) {
        try {
          claims = verifier(token) as Partial<TokenClaims>
        } catch {
          return null
        }
        verified.set(token, claims)
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

/**
 * Claims of tokens whose signature checked out, until they expire (fast-jwt's own cache keys each token by a
 * SHA-256 of it, 5 % of an authenticated read; a heap dump that showed cached tokens would hold the signing
 * secret anyway). Only well-signed tokens are kept, so garbage cannot fill it. Entries are found by the
 * signature segment and must then match the whole token: a Map hashes its key on every lookup (each request
 * brings a new string), and the signature is a seventh of the token.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { token: string; claims: Partial<TokenClaims> }>()

  constructor(private readonly capacity: number) {}

  get(token: string): Partial<TokenClaims> | undefined {
    const signature = signatureOf(token)
    const entry = this.entries.get(signature)
    if (entry === undefined || entry.token !== token) return undefined
    const { claims } = entry
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      this.entries.delete(signature)
      return undefined
    }
    return claims
  }

  set(token: string, claims: Partial<TokenClaims>): void {
    this.entries.set(signatureOf(token), { token, claims })
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
  }
}

const signatureOf = (token: string): string => token.slice(token.lastIndexOf('.') + 1)
