/** The Hono environment shared by the sandbox's app and middleware. */
import type { HttpBindings } from '@hono/node-server'
import type { RequestTarget } from './target.ts'

/** The sandbox app's bindings and per-request variables. */
export type SandboxEnv = {
  /** Node's request and response; absent when the app is driven through `app.request`. */
  Bindings: Partial<HttpBindings>
  Variables: {
    /** The resource a /v1 request names, read once from its path. */
    target: RequestTarget
    /** Set when a fault rule dropped the connection, so no status was sent. */
    dropped: boolean
    /** Why a request was refused, for the request log only; clients see the generic answer. */
    reason: string | null
  }
}
