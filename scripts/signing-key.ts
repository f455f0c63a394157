/**
 * Signing keys for the worker's requests to Red 360 (RED360_SIGNING_KEY): a private ES256
 * JWK with a `kid`. Run directly to print a new one: `node scripts/signing-key.ts`, then
 * `npx wrangler secret put RED360_SIGNING_KEY` and paste it.
 */
import { pathToFileURL } from 'node:url'
import { exportJWK, generateKeyPair, type JWK } from 'jose'

/** A new key pair: the private JWK for the worker, the public JWK for a verifier. */
export async function generateSigningKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const pair = await generateKeyPair('ES256', { extractable: true })
  const kid = crypto.randomUUID()
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' }
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }

  return { privateJwk, publicJwk }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { privateJwk } = await generateSigningKey()
  console.log(JSON.stringify(privateJwk))
}
