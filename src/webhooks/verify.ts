/**
 * The checks every webhook passes before its content is looked at, in this order: a JSON
 * content type (415), at most 256 KiB of body (413, decided on `Content-Length` or while
 * reading, never buffering more than the limit), a valid signature over the raw bytes (401,
 * one body for every reason), then UTF-8 JSON (400). The verified body and its delivery id
 * are left in the context for the route.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { every } from 'hono/combine'
import { errorResponse } from '../http/errors'
import { log } from '../log'
import type { WebhookSource } from './receipts'
import { parseSecrets } from './secrets'
import { verifySignature } from './signature'

/** The largest webhook body accepted, in bytes. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024

/** A webhook whose signature and JSON checked out. */
export interface VerifiedWebhook {
  body: unknown
  deliveryId: string | null
}

/** Hono environment of webhook routes. */
export type WebhookEnv = { Bindings: Env; Variables: { webhook: VerifiedWebhook } }

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** What a rate-limited sender is told to wait: the limiter's period. */
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 60

/**
 * Refuses a sender over its rate (the Workers rate-limiting binding, counted per source and
 * location) with 429, before any body is read.
 */
export function rateLimited(source: WebhookSource): MiddlewareHandler<WebhookEnv> {
  return async function rateLimit(c, next) {
    const { success } = await c.env.WEBHOOK_RATE_LIMITER.limit({ key: source })
    if (!success) {
      c.header('Retry-After', String(RATE_LIMIT_RETRY_AFTER_SECONDS))
      return reject(c, source, 429, 'rate_limited', 'Too many requests; slow down.')
    }
    await next()
  }
}

/** The middleware chain verifying a webhook from `source`, signed with `secrets(env)`. */
export function verifiedWebhook(
  source: WebhookSource,
  secrets: (env: Env) => string | undefined,
): MiddlewareHandler<WebhookEnv> {
  const requireJson: MiddlewareHandler<WebhookEnv> = async (c, next) => {
    if (!jsonType.test(c.req.header('content-type') ?? '')) {
      return reject(c, source, 415, 'unsupported_media_type', 'The body must be application/json.')
    }
    await next()
  }

  const limit = bodyLimit({
    maxSize: WEBHOOK_BODY_LIMIT,
    onError: (c) =>
      reject(c, source, 413, 'payload_too_large', `The body exceeds ${WEBHOOK_BODY_LIMIT} bytes.`),
  })

  const verifyAndParse: MiddlewareHandler<WebhookEnv> = async (c, next) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    const check = await verifySignature({
      body: raw,
      headers: c.req.raw.headers,
      secrets: parseSecrets(secrets(c.env)),
      now: Date.now(),
    })
    if (!check.ok) {
      log('warn', 'webhook.rejected', { source, path: c.req.path, reason: check.reason })
      return errorResponse(c, 401, 'invalid_signature', 'The signature could not be verified.')
    }

    const body = parseJson(raw)
    if (body === invalid) {
      return reject(c, source, 400, 'invalid_json', 'The body is not UTF-8 encoded JSON.')
    }

    c.set('webhook', { body, deliveryId: check.deliveryId })
    await next()
  }

  return every(rateLimited(source), requireJson, limit, verifyAndParse)
}

const invalid = Symbol('invalid')

function parseJson(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw))
  } catch {
    return invalid
  }
}

/** Logs and answers a rejected webhook. */
export function reject(
  c: Context,
  source: WebhookSource,
  status: 400 | 404 | 405 | 413 | 415 | 422 | 429 | 503,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  log('warn', 'webhook.rejected', { source, path: c.req.path, status, error })
  return errorResponse(c, status, error, message, extra)
}
