/**
 * `node sandbox/main.ts`: the local Red 360 on its own.
 *
 * RED360_SANDBOX_PORT: the port (default 8788).
 * RED360_SANDBOX_JWKS_URL: where tokens' keys are published (default the local worker,
 * http://127.0.0.1:8787/.well-known/jwks.json). They are fetched when the first token arrives,
 * so the worker may start after the sandbox.
 */
import { startSandbox } from './server.ts'

const DEFAULT_PORT = '8788'
const DEFAULT_JWKS_URL = 'http://127.0.0.1:8787/.well-known/jwks.json'

function readPort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new TypeError(`RED360_SANDBOX_PORT must be a port number (0 to 65535), got "${value}".`)
  }

  return Number(value)
}

function readUrl(value: string): URL {
  if (!URL.canParse(value)) {
    throw new TypeError(`RED360_SANDBOX_JWKS_URL must be a URL, got "${value}".`)
  }

  return new URL(value)
}

try {
  const jwks = readUrl(process.env.RED360_SANDBOX_JWKS_URL ?? DEFAULT_JWKS_URL)
  const sandbox = await startSandbox({
    port: readPort(process.env.RED360_SANDBOX_PORT ?? DEFAULT_PORT),
    jwks,
  })
  console.log(`Red 360 sandbox listening on ${sandbox.url} (token keys from ${jwks})`)

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      sandbox.close().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error)
        process.exitCode = 1
      })
    })
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
