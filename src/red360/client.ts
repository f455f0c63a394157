/**
 * The HTTP client of the Red 360 ingest API (see contract.ts). Every call has a timeout,
 * carries a fresh signed token and an idempotency key, and turns the answer into a
 * {@link Red360Result} that says what the caller should do next, never an exception: a
 * network failure is an answer too.
 */
import { z } from 'zod'
import {
  type EntityType,
  entityPaths,
  errorAnswer,
  type NotificationBody,
  type Representation,
} from './contract'
import { loadSigningKey, signRequestToken } from './signing'

/** Where and how to reach Red 360. */
export interface Red360ClientOptions {
  /** Base URL, without a trailing slash. */
  baseUrl: string
  /** The private signing JWK (JSON), as in RED360_SIGNING_KEY. */
  signingKey: string
  /** Milliseconds before a request counts as failed. */
  timeoutMs: number
}

/** What an answer means for the caller. */
export type Red360Result =
  /** 2xx: done. */
  | { kind: 'accepted'; status: number }
  /** 409: Red 360 holds a newer version; nothing to do. */
  | { kind: 'stale'; status: 409; currentVersion: number | undefined }
  /** 404 on a delete: Red 360 never had it or already removed it. */
  | { kind: 'absent'; status: 404 }
  /** 424: Red 360 lacks the parent agency; sync it first. */
  | { kind: 'parent_missing'; status: 424; parentId: number }
  /** 400, 422 and other 4xx: will never succeed as sent. */
  | { kind: 'rejected'; status: number; code: string }
  /** 429, 5xx, 409 other than a version conflict, 401 and 404 on a write, timeouts, network. */
  | { kind: 'retryable'; status: number | null; code: string; retryAfterSeconds?: number }

const writeTimeoutCode = 'timeout'

/** A client bound to one configuration. */
export class Red360Client {
  constructor(private readonly options: Red360ClientOptions) {}

  /** `PUT /v1/{type}/{id}` with the representation and its version. */
  putEntity(
    type: EntityType,
    representation: Representation,
    version: number,
    idempotencyKey: string,
  ): Promise<Red360Result> {
    const path = `/v1/${entityPaths[type]}/${representation.id}`
    return this.send('PUT', path, idempotencyKey, { ...representation, version })
  }

  /** `DELETE /v1/{type}/{id}?version=N`. */
  deleteEntity(
    type: EntityType,
    id: number,
    version: number,
    idempotencyKey: string,
  ): Promise<Red360Result> {
    const path = `/v1/${entityPaths[type]}/${id}?version=${version}`
    return this.send('DELETE', path, idempotencyKey, undefined)
  }

  /** `POST /v1/notifications`. */
  notify(body: NotificationBody, idempotencyKey: string): Promise<Red360Result> {
    return this.send('POST', '/v1/notifications', idempotencyKey, body)
  }

  private async send(
    method: string,
    path: string,
    idempotencyKey: string,
    body: unknown,
  ): Promise<Red360Result> {
    const key = await loadSigningKey(this.options.signingKey)
    const headers: Record<string, string> = {
      authorization: `Bearer ${await signRequestToken(key)}`,
      'idempotency-key': idempotencyKey,
      accept: 'application/json',
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
    }

    let response: Response
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      return { kind: 'retryable', status: null, code: timedOut ? writeTimeoutCode : 'network' }
    }

    return interpret(method, response)
  }
}

const retryAfterSeconds = z.coerce.number().int().nonnegative().max(86_400)

async function interpret(method: string, response: Response): Promise<Red360Result> {
  const status = response.status
  if (response.ok) {
    await response.body?.cancel()
    return { kind: 'accepted', status }
  }

  const answer = errorAnswer.safeParse(await response.json().catch(() => undefined))
  const code = answer.success ? answer.data.error : `http_${status}`

  // Only a version conflict means Red 360 holds newer content; another 409 (a request under
  // the same idempotency key still running) must be tried again.
  if (status === 409 && code === 'version_conflict') {
    return { kind: 'stale', status, currentVersion: answer.data?.current_version }
  }
  if (status === 404 && method === 'DELETE') {
    return { kind: 'absent', status }
  }
  if (status === 424 && answer.data?.parent?.type === 'agency') {
    return { kind: 'parent_missing', status, parentId: answer.data.parent.id }
  }
  // A 404 on a write means a wrong base URL, and a 401 a key Red 360 does not trust yet: both
  // are configuration that an operator can fix while the job waits for its next attempt.
  if (status === 429 || status === 401 || status === 404 || status === 409 || status >= 500) {
    const header = retryAfterSeconds.safeParse(response.headers.get('retry-after') ?? undefined)
    const retryAfter = header.success ? { retryAfterSeconds: header.data } : {}
    return { kind: 'retryable', status, code, ...retryAfter }
  }

  return { kind: 'rejected', status, code }
}
