/** Serves the sandbox app over Node.js HTTP. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createSandboxApp } from './app.ts'
import type { JwksSource } from './auth.ts'

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /** The TCP port. Default 8788; 0 picks any free port (see {@link RunningSandbox.url}). */
  port?: number
  /** The interface to listen on. Default `127.0.0.1`: the control API has no authentication. */
  host?: string
  /**
   * The keys bearer tokens must be signed with: a JWK set (`{ keys: [...] }`) held in memory,
   * or the URL of one, fetched when the first token arrives and cached by jose.
   */
  jwks: JwksSource
}

/** A sandbox that is listening. */
export interface RunningSandbox {
  /** The base URL, without a trailing slash, e.g. `http://127.0.0.1:8788`. */
  url: string
  /** Stops listening and drops open connections; resolves once the server is closed. */
  close(): Promise<void>
}

const DEFAULT_PORT = 8788
const DEFAULT_HOST = '127.0.0.1'

/**
 * Starts a sandbox with empty state. Each call has its own state. Throws a `TypeError` for
 * invalid options, and the listen error (e.g. `EADDRINUSE`) when the port is taken.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { port = DEFAULT_PORT, host = DEFAULT_HOST, jwks } = options
  checkOptions(port, jwks)

  const app = createSandboxApp({ jwks })
  // Global Request and Response stay Node's own: the sandbox usually shares its process
  // with tests that use them.
  const server = createServer(getRequestListener(app.fetch, { overrideGlobalObjects: false }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })

  const address = server.address() as AddressInfo
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${hostInUrl}:${address.port}`,
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}

function checkOptions(port: number, jwks: JwksSource): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`SandboxOptions.port must be an integer from 0 to 65535, got ${port}.`)
  }

  const isKeySource =
    jwks instanceof URL || (typeof jwks === 'object' && jwks !== null && Array.isArray(jwks.keys))
  if (!isKeySource) {
    throw new TypeError('SandboxOptions.jwks must be a URL or a JWK set ({ keys: [...] }).')
  }
}
