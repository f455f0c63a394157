import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { WEBHOOK_BODY_LIMIT } from '../../src/webhooks/verify'
import { d1Rows } from './support/d1'
import {
  CRM_SECRET,
  CRM_STANDARD_SECRET,
  json,
  legacyHeaders,
  post,
  RED360_SECRET,
  RETIRED_CRM_SECRET,
  recordingQueue,
  standardHeaders,
} from './support/webhooks'
import { resetWorld } from './support/worker'

beforeEach(resetWorld)

type Sign = (body: Uint8Array, deliveryId: string) => Promise<Record<string, string>>

interface Sender {
  name: string
  path: string
  valid: () => unknown
  sign: Sign
  /** A signature with a key the worker does not (or no longer) trust. */
  signRetired: Sign
}

const agency = { id: 42, name: 'Viajes Sol', slug: 'viajes-sol', status: 'activo' }
const metrics = {
  metrics: [
    { entity_type: 'package', entity_id: 7, likes_count: 3, as_of: '2026-12-01T10:00:00Z' },
  ],
}
const retiredStandard = `whsec_${btoa('a-retired-standard-secret')}`

const senders: Sender[] = [
  {
    name: 'the CRM with its legacy scheme',
    path: '/webhooks/crm/agency.updated',
    valid: () => agency,
    sign: (body, id) => legacyHeaders(body, CRM_SECRET, id),
    signRetired: (body, id) => legacyHeaders(body, RETIRED_CRM_SECRET, id),
  },
  {
    name: 'the CRM with Standard Webhooks',
    path: '/webhooks/crm/agency.updated',
    valid: () => agency,
    sign: (body, id) => standardHeaders(body, CRM_STANDARD_SECRET, id),
    signRetired: (body, id) => standardHeaders(body, retiredStandard, id),
  },
  {
    name: 'Red 360 with Standard Webhooks',
    path: '/webhooks/red360/social-metrics',
    valid: () => metrics,
    sign: (body, id) => standardHeaders(body, RED360_SECRET, id),
    signRetired: (body, id) => standardHeaders(body, retiredStandard, id),
  },
  {
    name: 'Red 360 with the legacy scheme',
    path: '/webhooks/red360/social-metrics',
    valid: () => metrics,
    sign: (body, id) => legacyHeaders(body, RED360_SECRET, id),
    signRetired: (body, id) => legacyHeaders(body, 'not-a-red360-secret', id),
  },
]

async function storedSomething(): Promise<boolean> {
  const receipts = await d1Rows('SELECT 1 FROM webhook_receipts')
  const metricsRows = await d1Rows('SELECT 1 FROM social_metrics')
  return receipts.length + metricsRows.length > 0
}

describe.each(senders)('webhooks from $name', (sender) => {
  const id = () => crypto.randomUUID()

  it('accepts a valid delivery with 202', async () => {
    const body = json(sender.valid())
    const { sent, queue } = recordingQueue()

    const response = await post(sender.path, body, await sender.sign(body, id()), {
      SYNC_JOBS: queue,
    })

    expect(response.status).toBe(202)
    expect(await response.json()).toMatchObject({ status: 'accepted' })
    if (sender.path.includes('/crm/')) {
      expect(sent).toEqual([expect.objectContaining({ entity_type: 'agency', entity_id: 42 })])
    }
  })

  it('answers a replayed delivery id with 200 duplicate and does the work once', async () => {
    const body = json(sender.valid())
    const deliveryId = id()
    const headers = await sender.sign(body, deliveryId)
    const { sent, queue } = recordingQueue()

    const first = await post(sender.path, body, headers, { SYNC_JOBS: queue })
    const second = await post(sender.path, body, headers, { SYNC_JOBS: queue })

    expect(first.status).toBe(202)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ status: 'duplicate' })
    expect(sent.length).toBeLessThanOrEqual(1)
  })

  it('refuses a valid signature over a body then changed by one byte', async () => {
    const body = json(sender.valid())
    const headers = await sender.sign(body, id())
    const changed = body.slice()
    changed[changed.length - 2] = (changed[changed.length - 2] ?? 0) ^ 1

    const response = await post(sender.path, changed, headers)

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'invalid_signature',
      message: 'The signature could not be verified.',
    })
    expect(await storedSomething()).toBe(false)
  })

  it('refuses a signature made with a retired or unknown secret, with the same body', async () => {
    const body = json(sender.valid())

    const response = await post(sender.path, body, await sender.signRetired(body, id()))

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'invalid_signature',
      message: 'The signature could not be verified.',
    })
  })

  it('refuses an unsigned delivery', async () => {
    const response = await post(sender.path, json(sender.valid()), {})

    expect(response.status).toBe(401)
  })

  it('answers 400 invalid_json for a truncated body, signed as sent', async () => {
    const body = json(sender.valid()).slice(0, 20)

    const response = await post(sender.path, body, await sender.sign(body, id()))

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_json' })
  })

  it('answers 400 invalid_json for a body that is not UTF-8', async () => {
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])

    const response = await post(sender.path, body, await sender.sign(body, id()))

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_json' })
  })

  it('answers 413 for a body of 256 KiB plus one byte', async () => {
    const body = new Uint8Array(WEBHOOK_BODY_LIMIT + 1).fill(0x20)

    const response = await post(sender.path, body, await sender.sign(body, id()))

    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('answers 413 for a streamed body without Content-Length once it passes the limit', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > WEBHOOK_BODY_LIMIT) {
          controller.close()
          return
        }
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const headers = await sender.sign(new Uint8Array(), id())

    const response = await createApp().request(
      sender.path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: stream,
        duplex: 'half',
      } as RequestInit,
      env,
    )

    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('answers 415 for a body that is not JSON', async () => {
    const body = json(sender.valid())
    const headers = { ...(await sender.sign(body, id())), 'content-type': 'text/plain' }

    const response = await post(sender.path, body, headers)

    expect(response.status).toBe(415)
    expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' })
  })

  it('answers 405 to another method', async () => {
    const response = await post(sender.path, new Uint8Array(), {}, {}, 'GET')

    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })

  it.each([
    ['a JSON array', [1, 2]],
    ['a JSON string', 'agency'],
  ])('answers 422 for %s instead of an object', async (_, value) => {
    const body = json(value)

    const response = await post(sender.path, body, await sender.sign(body, id()))

    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ error: 'validation_failed' })
    expect(await storedSomething()).toBe(false)
  })

  it('answers 503, never 202, when the delivery cannot be made durable', async () => {
    const body = json(sender.valid())
    const broken = {
      SYNC_JOBS: recordingQueue(true).queue,
      SYNC_DB: new Proxy(env.SYNC_DB, {
        get: (target, key) =>
          key === 'batch'
            ? () => Promise.reject(new Error('D1 unavailable'))
            : Reflect.get(target, key),
      }),
    }

    const response = await post(sender.path, body, await sender.sign(body, id()), broken)

    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).not.toBeNull()
  })
})
