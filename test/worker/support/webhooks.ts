/** Signing and sending webhooks the way the CRM and Red 360 do, for the webhook tests. */
import { env } from 'cloudflare:workers'
import { createApp } from '../../../src/app'

/** The legacy scheme's secret of the CRM in the tests. */
export const CRM_SECRET = 'crm-test-secret'
/** A CRM secret that was rotated out: no longer configured. */
export const RETIRED_CRM_SECRET = 'crm-retired-secret'
/** A Standard Webhooks secret of Red 360 in the tests. */
export const RED360_SECRET = `whsec_${btoa('red360-test-secret-bytes')}`
/** A Standard Webhooks secret of the CRM in the tests. */
export const CRM_STANDARD_SECRET = `whsec_${btoa('crm-standard-secret-bytes')}`

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, data))
}

const encode = (text: string) => new TextEncoder().encode(text)

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Headers of the CRM's legacy scheme: hex HMAC-SHA256 of the raw body. */
export async function legacyHeaders(
  body: Uint8Array,
  secret = CRM_SECRET,
  deliveryId?: string,
): Promise<Record<string, string>> {
  const signature = await hmac(encode(secret), body)
  const hex = [...signature].map((byte) => byte.toString(16).padStart(2, '0')).join('')
  return {
    'x-webhook-signature': hex,
    ...(deliveryId === undefined ? {} : { 'x-webhook-id': deliveryId }),
  }
}

/** Headers of Standard Webhooks, signed `id.timestamp.body`, at `timestamp` (Unix seconds). */
export async function standardHeaders(
  body: Uint8Array,
  secret: string,
  deliveryId: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<Record<string, string>> {
  const key = Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0))
  const signed = concat(encode(`${deliveryId}.${timestamp}.`), body)
  const signature = btoa(String.fromCharCode(...(await hmac(key, signed))))
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  }
}

/** JSON bytes of a value. */
export function json(value: unknown): Uint8Array {
  return encode(JSON.stringify(value))
}

/** A queue that records what is sent, or fails every send. */
export function recordingQueue(fail = false) {
  const sent: unknown[] = []
  const queue = {
    send: async (body: unknown) => {
      if (fail) throw new Error('queue unavailable')
      sent.push(body)
    },
    sendBatch: async () => {
      throw new Error('not expected')
    },
  }
  return { sent, queue: queue as unknown as Queue }
}

/** Posts to the worker's HTTP app with `env`, changed by `overrides`. */
export async function post(
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
  overrides: Partial<Env> = {},
  method = 'POST',
) {
  const app = createApp()
  const init = {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body }),
  }
  return app.request(path, init, { ...env, ...overrides })
}
