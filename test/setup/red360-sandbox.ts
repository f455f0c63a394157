/**
 * Vitest global setup: a signing key pair for the worker and a Red 360 sandbox that trusts
 * its public half, on a free port. The worker tests get the sandbox URL and the private key.
 */
import type { TestProject } from 'vitest/node'
import { startSandbox } from '../../sandbox/server.ts'
import { generateSigningKey } from '../../scripts/signing-key.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    red360Url: string
    signingKey: string
    signingPublicKey: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { privateJwk, publicJwk } = await generateSigningKey()
  const sandbox = await startSandbox({ port: 0, jwks: { keys: [publicJwk] } })

  project.provide('red360Url', sandbox.url)
  project.provide('signingKey', JSON.stringify(privateJwk))
  project.provide('signingPublicKey', JSON.stringify(publicJwk))

  return () => sandbox.close()
}
