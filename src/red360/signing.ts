/**
 * The key pair that authenticates this worker to Red 360. Requests carry a short-lived ES256
 * JWT signed with the private key from the secret RED360_SIGNING_KEY; Red 360 verifies it
 * against the public half, published at `GET /.well-known/jwks.json`.
 */
import { type CryptoKey, importJWK, type JWK, SignJWT } from 'jose'
import { z } from 'zod'
import { tokenClaims } from './contract'

/** How long a request token stays valid; Red 360 allows a minute of clock skew on top. */
export const REQUEST_TOKEN_TTL_SECONDS = 300

/** A loaded signing key: the private key and the public JWK to publish. */
export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
}

const privateJwk = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  kid: z.string().min(1),
  x: z.string(),
  y: z.string(),
  d: z.string(),
})

const loaded = new Map<string, Promise<SigningKey>>()

/** Imports the private JWK in `secret` (JSON). Imported keys are kept per isolate. */
export function loadSigningKey(secret: string): Promise<SigningKey> {
  let key = loaded.get(secret)
  if (key === undefined) {
    key = importSigningKey(secret)
    loaded.set(secret, key)
  }

  return key
}

async function importSigningKey(secret: string): Promise<SigningKey> {
  let json: unknown
  try {
    json = JSON.parse(secret)
  } catch {
    throw new TypeError('RED360_SIGNING_KEY is not JSON; expected a private ES256 JWK with kid')
  }

  const parsed = privateJwk.safeParse(json)
  if (!parsed.success) {
    throw new TypeError('RED360_SIGNING_KEY must be a private EC P-256 JWK with kid, x, y and d')
  }

  const { d: _private, ...publicPart } = parsed.data
  const privateKey = (await importJWK(parsed.data, tokenClaims.algorithm)) as CryptoKey
  const publicJwk: JWK = { ...publicPart, alg: tokenClaims.algorithm, use: 'sig' }

  return { kid: parsed.data.kid, privateKey, publicJwk }
}

/** Signs a fresh request token for Red 360. */
export function signRequestToken(key: SigningKey): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: tokenClaims.algorithm, kid: key.kid, typ: 'JWT' })
    .setIssuer(tokenClaims.issuer)
    .setAudience(tokenClaims.audience)
    .setIssuedAt()
    .setExpirationTime(`${REQUEST_TOKEN_TTL_SECONDS}s`)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey)
}
