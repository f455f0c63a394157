/**
 * `Idempotency-Key` handling for /v1 writes. The first answer to a key is remembered with a
 * fingerprint of the request (method, path with query, body bytes); the same request again
 * gets that answer back without being applied, another request under the key is refused.
 *
 * Only successful (2xx) answers are remembered. A refusal depends on state that can change (a
 * missing parent agency, a newer version) and a failure may pass, so the same request under
 * the same key is handled afresh after either; injected faults never reach this middleware.
 *
 * Keys never expire before a reset; accepted because a sandbox lives for one test run or one
 * development session.
 */
import { createHash } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { errorBody } from './answers.ts'
import type { SandboxEnv } from './env.ts'

const writeMethods = new Set(['PUT', 'DELETE', 'POST'])

/** An answer as remembered for a key. */
interface RememberedAnswer {
  status: number
  contentType: string | null
  body: string
}

/** A key's request fingerprint, and its answer once there is one. */
interface KeyEntry {
  fingerprint: string
  answer: RememberedAnswer | null
}

/** The idempotency keys of one sandbox. */
export class IdempotencyStore {
  readonly #entries = new Map<string, KeyEntry>()

  /** The entry of a key, if the key was used. */
  get(key: string): KeyEntry | undefined {
    return this.#entries.get(key)
  }

  /** Claims a key for a request whose answer is not known yet. */
  claim(key: string, fingerprint: string): void {
    this.#entries.set(key, { fingerprint, answer: null })
  }

  /** Remembers the answer to a claimed key. */
  remember(key: string, answer: RememberedAnswer): void {
    const entry = this.#entries.get(key)
    if (entry) {
      entry.answer = answer
    }
  }

  /** Releases a claimed key whose answer is not to be remembered. */
  release(key: string): void {
    this.#entries.delete(key)
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear()
  }
}

/** Middleware requiring `Idempotency-Key` on every write and replaying remembered answers. */
export function rememberAnswers(keys: IdempotencyStore): MiddlewareHandler<SandboxEnv> {
  return async function rememberAnswer(c, next) {
    if (!writeMethods.has(c.req.method)) {
      return next()
    }

    const key = c.req.header('idempotency-key')
    if (!key) {
      return c.json(
        errorBody('idempotency_key_required', 'Every write needs an Idempotency-Key header.'),
        400,
      )
    }

    const url = new URL(c.req.url)
    const fingerprint = createHash('sha256')
      .update(`${c.req.method} ${url.pathname}${url.search}\n`)
      .update(await c.req.text())
      .digest('hex')

    const entry = keys.get(key)
    if (entry && entry.fingerprint !== fingerprint) {
      return c.json(
        errorBody('idempotency_key_reused', 'This Idempotency-Key was used for another request.'),
        422,
      )
    }
    if (entry?.answer) {
      return replay(entry.answer)
    }
    if (entry) {
      return c.json(
        errorBody('idempotency_key_in_use', 'A request with this key is still being handled.'),
        409,
      )
    }

    keys.claim(key, fingerprint)
    await next()

    if (c.res.status < 200 || c.res.status >= 300) {
      keys.release(key)
      return
    }
    keys.remember(key, {
      status: c.res.status,
      contentType: c.res.headers.get('content-type'),
      body: await c.res.clone().text(),
    })
  }
}

function replay(answer: RememberedAnswer): Response {
  const headers = new Headers({ 'Idempotent-Replayed': 'true' })
  if (answer.contentType) {
    headers.set('Content-Type', answer.contentType)
  }

  return new Response(answer.body, { status: answer.status, headers })
}
