/**
 * Minting service API tokens, shared by the worker and `npm run token`. It imports only
 * jose and scopes.ts, with explicit extensions, so that Node can load it directly.
 */
import { SignJWT } from 'jose'
import { type ApiSystem, apiTokenClaims, type Scope, systemScopes } from './scopes.ts'

/** The shortest API_TOKEN_SECRET accepted, in bytes; HS256 wants at least its hash size. */
export const MIN_SECRET_BYTES = 32

/** The HMAC key of API_TOKEN_SECRET; a TypeError when it is missing or too short. */
export function tokenKey(secret: string | undefined): Uint8Array {
  const key = new TextEncoder().encode(secret ?? '')
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`API_TOKEN_SECRET must hold at least ${MIN_SECRET_BYTES} bytes`)
  }

  return key
}

/** Mints a token for `system`, valid for `days` from `now` (epoch ms). */
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
