/**
 * Service API tokens: HS256 JWTs signed with the secret API_TOKEN_SECRET, minted by
 * `npm run token` and verified here on every request.
 *
 * Verification pins the algorithm (a token claiming `none`, RS256 or anything else is
 * refused before any key is tried), checks issuer, audience, expiry and not-before with 30
 * seconds of clock tolerance, requires `sub`, `jti`, `iat` and `exp`, and refuses a `jti`
 * revoked in D1. Revocations are looked up at most every {@link REVOCATION_CACHE_MS} per
 * isolate, so a revocation takes effect everywhere within that time.
 */
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { jwtVerify } from 'jose'
import { apiTokens } from '../db/schema'
import { tokenKey } from './mint'
import { apiTokenClaims, type Scope, scopes } from './scopes'

export { MIN_SECRET_BYTES, mintToken, tokenKey } from './mint'

/** How long a revocation check is reused within one isolate. */
export const REVOCATION_CACHE_MS = 5_000

/** Clock difference allowed on `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 30

/** A verified token. */
export interface ApiToken {
  jti: string
  system: string
  scopes: ReadonlySet<Scope>
  expiresAt: number
}

/** Why a token was refused; logged, never shown to the client. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError'

  constructor(
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`invalid token: ${code}`, options)
  }
}

/** Verifies `token`; throws {@link InvalidTokenError} with the reason when it is refused. */
export async function verifyToken(
  token: string,
  secret: string | undefined,
  db: D1Database,
): Promise<ApiToken> {
  const key = tokenKey(secret)

  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
  try {
    ;({ payload } = await jwtVerify(token, key, {
      algorithms: [apiTokenClaims.algorithm],
      issuer: apiTokenClaims.issuer,
      audience: apiTokenClaims.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    }))
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new InvalidTokenError(typeof code === 'string' ? code : 'ERR_JWT_INVALID', {
      cause: error,
    })
  }

  const jti = String(payload.jti)
  if (await isRevoked(db, jti)) {
    throw new InvalidTokenError('ERR_TOKEN_REVOKED')
  }

  return {
    jti,
    system: String(payload.sub),
    scopes: parseScopes(payload.scope),
    expiresAt: Number(payload.exp) * 1000,
  }
}

function parseScopes(claim: unknown): ReadonlySet<Scope> {
  const known = new Set<string>(scopes)
  const granted = typeof claim === 'string' ? claim.split(' ') : []
  return new Set(granted.filter((scope): scope is Scope => known.has(scope)))
}

const revocations = new Map<string, { revoked: boolean; checkedAt: number }>()

async function isRevoked(db: D1Database, jti: string): Promise<boolean> {
  const cached = revocations.get(jti)
  if (cached !== undefined && Date.now() - cached.checkedAt < REVOCATION_CACHE_MS) {
    return cached.revoked
  }

  const rows = await drizzle(db)
    .select({ revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.jti, jti))
    .limit(1)
  const revoked = rows[0]?.revokedAt != null
  revocations.set(jti, { revoked, checkedAt: Date.now() })

  return revoked
}
