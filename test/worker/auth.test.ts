import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { base64url, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type AuthEnv, requireScope } from '../../src/auth/require-scope'
import { systemScopes } from '../../src/auth/scopes'
import { insertTokenSql, revokeTokenSql } from '../../src/auth/token-sql'
import { CLOCK_TOLERANCE_SECONDS, mintToken, REVOCATION_CACHE_MS } from '../../src/auth/tokens'
import { d1Rows } from './support/d1'

const SECRET = env.API_TOKEN_SECRET
const OTHER_SECRET = 'another-api-token-secret-of-32-bytes-or-more'
const DAY_MS = 24 * 60 * 60 * 1000

const app = new Hono<AuthEnv>()
app.get('/agencies', requireScope('sync:agencies'), (c) =>
  c.json({ system: c.get('token').system }),
)

async function call(authorization?: string): Promise<Response> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
  return await app.request('/agencies', { headers }, env)
}

const bearer = (token: string) => `Bearer ${token}`

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** Claims of a valid `crm` token; a case overrides or removes some. */
function validClaims(): JWTPayload {
  return {
    iss: 'red360-sync',
    aud: 'red360-sync-api',
    sub: 'crm',
    scope: systemScopes.crm.join(' '),
    jti: crypto.randomUUID(),
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
  }
}

function signHs256(claims: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret))
}

/** A token whose header claims RS256 but whose signature is an HMAC with the secret. */
async function rs256HeaderWithHmac(): Promise<string> {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value))
  const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(validClaims())}`
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))
  return `${input}.${base64url.encode(new Uint8Array(signature))}`
}

async function rs256Signed(): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256')
  return new SignJWT(validClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)
}

/** A token for `system` whose `exp` lies `secondsAgo` in the past. */
async function expiredToken(secondsAgo: number): Promise<string> {
  const minted = Date.now() - DAY_MS - secondsAgo * 1000
  return (await mintToken(SECRET, 'crm', 1, minted)).token
}

function withoutJti(): JWTPayload {
  const { jti: _jti, ...claims } = validClaims()
  return claims
}

/** A way to be refused, with the reason the worker logs for it (the client never sees it). */
interface Refusal {
  name: string
  reason: string
  authorization: () => Promise<string | undefined>
}

const malformed = 'missing_or_malformed'
const claimFailed = 'ERR_JWT_CLAIM_VALIDATION_FAILED'

const refusals: Refusal[] = [
  { name: 'no Authorization header', reason: malformed, authorization: async () => undefined },
  {
    name: 'a Basic credential',
    reason: malformed,
    authorization: async () => `Basic ${btoa('crm:password')}`,
  },
  {
    name: 'a bearer that is not a JWT',
    reason: malformed,
    authorization: async () => 'Bearer not-a-token',
  },
  {
    name: 'a bearer of three undecodable parts',
    reason: 'ERR_JWS_INVALID',
    authorization: async () => 'Bearer abc.def.ghi',
  },
  {
    name: 'a token signed with another secret',
    reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    authorization: async () => bearer(await signHs256(validClaims(), OTHER_SECRET)),
  },
  {
    name: 'a token signed RS256 with an RSA key',
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    authorization: async () => bearer(await rs256Signed()),
  },
  {
    name: 'a token claiming RS256 with an HMAC signature',
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    authorization: async () => bearer(await rs256HeaderWithHmac()),
  },
  {
    name: 'an unsigned token (alg none)',
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    authorization: async () => bearer(new UnsecuredJWT(validClaims()).encode()),
  },
  {
    name: 'a token expired beyond the clock tolerance',
    reason: 'ERR_JWT_EXPIRED',
    authorization: async () => bearer(await expiredToken(CLOCK_TOLERANCE_SECONDS + 30)),
  },
  {
    name: 'a token not valid yet beyond the clock tolerance',
    reason: claimFailed,
    authorization: async () =>
      bearer(await signHs256({ ...validClaims(), nbf: nowSeconds() + 120 })),
  },
  {
    name: 'a token for another audience',
    reason: claimFailed,
    authorization: async () =>
      bearer(await signHs256({ ...validClaims(), aud: 'red360-dashboard' })),
  },
  {
    name: 'a token of another issuer',
    reason: claimFailed,
    authorization: async () => bearer(await signHs256({ ...validClaims(), iss: 'someone-else' })),
  },
  {
    name: 'a token without jti',
    reason: claimFailed,
    authorization: async () => bearer(await signHs256(withoutJti())),
  },
]

/** Watches the log, so that a test can tell why a token was refused. */
function watchRefusals(): () => string | undefined {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  return () => {
    const events = warn.mock.calls.map(([line]) => JSON.parse(String(line)) as LogLine)
    return events.findLast((event) => event.event === 'auth.refused')?.reason
  }
}

interface LogLine {
  event: string
  reason?: string
}

describe('requireScope', () => {
  let refusedBody: unknown

  beforeAll(async () => {
    refusedBody = await (await call()).json()
  })

  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('refuses with invalid_token and a generic message', () => {
    expect(refusedBody).toEqual({ error: 'invalid_token', message: expect.any(String) })
  })

  it.each(refusals)(
    'answers 401 with the same body to $name',
    async ({ reason, authorization }) => {
      const loggedReason = watchRefusals()

      const response = await call(await authorization())

      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
      expect(await response.json()).toEqual(refusedBody)
      expect(loggedReason()).toBe(reason)
    },
  )

  it('accepts a token expired within the clock tolerance', async () => {
    const response = await call(bearer(await expiredToken(CLOCK_TOLERANCE_SECONDS - 20)))

    expect(response.status).toBe(200)
  })

  // A token never presented before, so no cached check hides its revocation.
  it('refuses a revoked token, and keeps what its row recorded', async () => {
    const minted = await mintToken(SECRET, 'crm', 30)
    const record = { ...minted, system: 'crm', issuedAt: Date.now() }
    await env.SYNC_DB.prepare(insertTokenSql(record)).run()
    const revokedAt = Date.now()
    await env.SYNC_DB.prepare(revokeTokenSql(minted.jti, revokedAt)).run()
    const loggedReason = watchRefusals()

    const response = await call(bearer(minted.token))

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual(refusedBody)
    expect(loggedReason()).toBe('ERR_TOKEN_REVOKED')
    expect(await d1Rows('SELECT * FROM api_tokens WHERE jti = ?', minted.jti)).toEqual([
      {
        jti: minted.jti,
        system: 'crm',
        scopes: systemScopes.crm.join(' '),
        issued_at: record.issuedAt,
        expires_at: minted.expiresAt,
        revoked_at: revokedAt,
      },
    ])
  })

  it('refuses a token revoked without a row of its own', async () => {
    const minted = await mintToken(SECRET, 'crm', 30)
    await env.SYNC_DB.prepare(revokeTokenSql(minted.jti, Date.now())).run()
    const loggedReason = watchRefusals()

    const response = await call(bearer(minted.token))

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual(refusedBody)
    expect(loggedReason()).toBe('ERR_TOKEN_REVOKED')
  })

  it('refuses an already checked token once its cached check expires', async () => {
    const minted = await mintToken(SECRET, 'crm', 30)
    expect((await call(bearer(minted.token))).status).toBe(200)

    await env.SYNC_DB.prepare(revokeTokenSql(minted.jti, Date.now())).run()
    // The isolate reuses the earlier check for REVOCATION_CACHE_MS: still accepted.
    expect((await call(bearer(minted.token))).status).toBe(200)

    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + REVOCATION_CACHE_MS + 1 })
    const loggedReason = watchRefusals()
    expect((await call(bearer(minted.token))).status).toBe(401)
    expect(loggedReason()).toBe('ERR_TOKEN_REVOKED')
  })

  it('answers 403 insufficient_scope naming the scope to a token without it', async () => {
    const { token } = await mintToken(SECRET, 'red360', 30)

    const response = await call(bearer(token))

    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({
      error: 'insufficient_scope',
      message: expect.any(String),
      scope: 'sync:agencies',
    })
  })

  it.each(['crm', 'admin'] as const)('lets a valid %s token through', async (system) => {
    const { token } = await mintToken(SECRET, system, 30)

    const response = await call(bearer(token))

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ system })
  })
})
