/**
 * The request log: every /v1 request with the answer it got, faults and refusals included, so
 * that a test can see what the worker really sent and how often.
 *
 * The log keeps the latest {@link MAX_LOGGED_REQUESTS} entries only: a sandbox left running
 * under `npm start` would otherwise grow without bound. Tests reset it long before that.
 */
import type { MiddlewareHandler } from 'hono'
import type { SandboxEnv } from './env.ts'
import { describeTarget, type TargetType } from './target.ts'

/** How many entries the log keeps; older ones are dropped first. */
export const MAX_LOGGED_REQUESTS = 10_000

/** One logged request. */
export interface LoggedRequest {
  method: string
  /** The path without the query string. */
  path: string
  type: TargetType | null
  id: number | null
  /** The status answered; `null` when a fault rule dropped the connection. */
  status: number | null
  idempotency_key: string | null
  /** The `error` code of an error answer. */
  error: string | null
  /** Why the request was refused, where the answer is kept generic (e.g. `ERR_JWT_EXPIRED`). */
  reason: string | null
  /** When the request arrived, in epoch milliseconds. */
  at: number
}

/** The request log of one sandbox. */
export class RequestLog {
  #entries: LoggedRequest[] = []

  /** Adds an entry, dropping the oldest past {@link MAX_LOGGED_REQUESTS}. */
  add(entry: LoggedRequest): void {
    this.#entries.push(entry)
    if (this.#entries.length > MAX_LOGGED_REQUESTS) {
      this.#entries = this.#entries.slice(-MAX_LOGGED_REQUESTS)
    }
  }

  /** The entries, oldest first. */
  list(): LoggedRequest[] {
    return [...this.#entries]
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = []
  }
}

/**
 * Middleware, first on /v1: names the request's target for the middleware after it, and logs
 * the request once its answer is known.
 */
export function logRequests(requests: RequestLog): MiddlewareHandler<SandboxEnv> {
  return async function logRequest(c, next) {
    const at = Date.now()
    const target = describeTarget(c.req.path)
    c.set('target', target)
    c.set('dropped', false)
    c.set('reason', null)

    await next()

    const dropped = c.get('dropped')
    requests.add({
      method: c.req.method,
      path: c.req.path,
      ...target,
      status: dropped ? null : c.res.status,
      idempotency_key: c.req.header('idempotency-key') ?? null,
      error: dropped ? null : await errorCode(c.res),
      reason: c.get('reason'),
      at,
    })
  }
}

async function errorCode(response: Response): Promise<string | null> {
  if (response.status < 400 || !response.headers.get('content-type')?.includes('json')) {
    return null
  }

  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null)
  const isError = typeof body === 'object' && body !== null && 'error' in body
  return isError && typeof body.error === 'string' ? body.error : null
}
