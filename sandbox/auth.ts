/**
 * Bearer-token authentication of /v1 requests, as Red 360 does it: an ES256 JWT from
 * `red360-sync` for `red360-ingest`, checked against the worker's published keys.
 *
 * Every failure gets the same 401 answer, so that a caller cannot probe which check failed;
 * the reason goes to the request log.
 */
import type { MiddlewareHandler } from 'hono'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import { tokenClaims } from '../src/red360/contract.ts'
import { errorBody } from './answers.ts'
import type { SandboxEnv } from './env.ts'

/** Where the signing keys come from: a key set held in memory, or a JWKS URL fetched lazily. */
export type JwksSource = JSONWebKeySet | URL

/** How far a token's `exp`, `nbf` and `iat` may be off, for clocks that drift. */
const CLOCK_TOLERANCE_SECONDS = 60

/** Middleware refusing a request whose bearer token does not verify. */
export function requireToken(jwks: JwksSource): MiddlewareHandler<SandboxEnv> {
  const keys = jwks instanceof URL ? createRemoteJWKSet(jwks) : createLocalJWKSet(jwks)

  return async function verifyToken(c, next) {
    const failure = await tokenFailure(bearerToken(c.req.header('authorization')), keys)
    if (failure) {
      c.set('reason', failure)
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
      return c.json(errorBody('invalid_token', 'The bearer token is missing or invalid.'), 401)
    }

    return next()
  }
}

/** Why `token` is refused, as a stable code, or `null` when it verifies. */
async function tokenFailure(token: string | null, keys: JWTVerifyGetKey): Promise<string | null> {
  if (!token) {
    return 'ERR_TOKEN_MISSING'
  }

  try {
    await jwtVerify(token, keys, {
      algorithms: [tokenClaims.algorithm],
      issuer: tokenClaims.issuer,
      audience: tokenClaims.audience,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    })
    return null
  } catch (error) {
    return failureCode(error)
  }
}

function bearerToken(authorization: string | undefined): string | null {
  return authorization?.match(/^Bearer +(\S+)$/i)?.[1] ?? null
}

/** jose's stable error code (`ERR_JWT_EXPIRED`, …), or the error's name when it has none. */
function failureCode(error: unknown): string {
  if (!(error instanceof Error)) {
    return 'ERR_UNKNOWN'
  }

  const code = 'code' in error ? error.code : undefined
  return typeof code === 'string' ? code : error.name
}
