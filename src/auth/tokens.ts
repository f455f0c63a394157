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
import { jwtVerify, SignJWT } from 'jose'
import { apiTokens } from '../db/schema'
import { type ApiSystem, apiTokenClaims, type Scope, scopes, systemScopes } from './scopes'

/** How long a revocation check is reused within one isolate. */
export const REVOCATION_CACHE_MS = 5_000

/** Clock difference allowed on `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 30

/** The shortest API_TOKEN_SECRET accepted, in bytes; HS256 wants at least its hash size. */
export const MIN_SECRET_BYTES = 32

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

/** The HMAC key of API_TOKEN_SECRET; a TypeError when it is missing or too short. */
export function tokenKey(secret: string | undefined): Uint8Array {
  const key = new TextEncoder().encode(secret ?? '')
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`API_TOKEN_SECRET must hold at least ${MIN_SECRET_BYTES} bytes`)
  }

  return key
}

/** Mints a token for `system`, valid for `days`. */
export async function mintToken(
  secret: string,
  system: ApiSystem,
  days: number,
  now = Date.now(),
): Promise<{ token: string; jti: string; scopes: readonly Scope[]; expiresAt: number }> {
  const jti = crypto.randomUUID()
  const granted = systemScopes[system]
  const expiresAt = now + days * 24 * 60 * 60 * 1000

  const token = await new SignJWT({ scope: granted.join(' ') })
    .setProtectedHeader({ alg: apiTokenClaims.algorithm, typ: 'JWT' })
    .setIssuer(apiTokenClaims.issuer)
    .setAudience(apiTokenClaims.audience)
    .setSubject(system)
    .setJti(jti)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(tokenKey(secret))

  return { token, jti, scopes: granted, expiresAt }
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
