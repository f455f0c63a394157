import { exports } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { crmInsert, crmQuery, outboxCounts } from './support/crm'
import { eventually } from './support/eventually'
import { requireEntity } from './support/sandbox'
import {
  CRM_STANDARD_SECRET,
  json,
  legacyHeaders,
  post,
  RED360_SECRET,
  recordingQueue,
  standardHeaders,
} from './support/webhooks'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)

const agency = { id: 42, name: 'Viajes Sol', slug: 'viajes-sol', status: 'activo' }

describe('rate limiting', () => {
  it('answers 429 with Retry-After to a sender over its rate, before the body', async () => {
    const limiter = { limit: async () => ({ success: false }) } as unknown as RateLimit
    const body = json(agency)

    const response = await post('/webhooks/crm/agency.updated', body, await legacyHeaders(body), {
      WEBHOOK_RATE_LIMITER: limiter,
    })

    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('60')
    expect(await response.json()).toMatchObject({ error: 'rate_limited' })
  })
})

describe('Standard Webhooks timestamps', () => {
  const body = json(agency)
  const signAt = (offsetSeconds: number) =>
    standardHeaders(
      body,
      CRM_STANDARD_SECRET,
      crypto.randomUUID(),
      Math.floor(Date.now() / 1000) + offsetSeconds,
    )

  it.each([
    ['six minutes old', -360, 401],
    ['six minutes ahead', 360, 401],
    ['four minutes old', -240, 202],
  ])('treat a timestamp %s as it must', async (_, offset, status) => {
    const response = await post('/webhooks/crm/agency.updated', body, await signAt(offset))

    expect(response.status).toBe(status)
  })
})

describe('CRM webhook bodies', () => {
  async function send(event: string, value: unknown) {
    const body = json(value)
    const { sent, queue } = recordingQueue()
    const headers = await legacyHeaders(body)
    const response = await post(`/webhooks/crm/${event}`, body, headers, { SYNC_JOBS: queue })
    return { response, sent }
  }

  it('answers 404 unknown_event for an event it does not know', async () => {
    const { response, sent } = await send('agency.renamed', agency)

    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'unknown_event' })
    expect(sent).toEqual([])
  })

  it.each([
    ['agency.created', { ...agency, id: '42' }, 'id'],
    ['agency.updated', { ...agency, id: -3 }, 'id'],
    ['agency.updated', { id: 42, name: 'Sol', status: 'activo' }, 'slug'],
    ['package.created', { id: 5, agency_id: 0, title: 'T', status: 'active' }, 'agency_id'],
    ['user.updated', { id: 9, name: 'Ana' }, 'email'],
    ['package.deleted', { id: 1.5 }, 'id'],
  ])('answers 422 naming the field for a bad %s body', async (event, value, field) => {
    const { response, sent } = await send(event, value)

    expect(response.status).toBe(422)
    const answer = (await response.json()) as { issues: { path: string }[] }
    expect(answer.issues.map((issue) => issue.path)).toContain(field)
    expect(sent).toEqual([])
  })

  it('ignores unknown extra fields, since the CRM sends whole rows', async () => {
    const { response, sent } = await send('agency.updated', { ...agency, website: 'x', n: [1] })

    expect(response.status).toBe(202)
    expect(sent).toHaveLength(1)
  })

  it('enqueues a sync of the right entity for each kind of event', async () => {
    const cases = [
      ['package.created', { id: 5, agency_id: 1, title: 'T', status: 'active' }, 'package', 5],
      ['user.created', { id: 9, name: 'Ana', email: 'a@b.test' }, 'user', 9],
      ['agency.deleted', { id: 42 }, 'agency', 42],
    ] as const

    for (const [event, value, type, id] of cases) {
      const { response, sent } = await send(event, value)
      expect(response.status).toBe(202)
      expect(sent).toEqual([
        expect.objectContaining({ entity_type: type, entity_id: id, source: 'webhook' }),
      ])
    }
  })
})

describe('webhooks end to end', () => {
  it('brings a CRM webhook for a changed agency to Red 360 without the cron', async () => {
    const id = await crmInsert('agencies', { name: 'Webhook Tours', slug: 'webhook-tours' })
    const body = json({ id, name: 'Webhook Tours', slug: 'webhook-tours', status: 'activo' })

    const response = await exports.default.fetch('http://worker/webhooks/crm/agency.created', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await legacyHeaders(body)) },
      body,
    })

    expect(response.status).toBe(202)
    const stored = await eventually(() => requireEntity('agency', id), 10_000)
    expect(stored.representation).toMatchObject({ name: 'Webhook Tours' })
  })

  it('writes posted metrics to the CRM at the next flush, newest as_of winning', async () => {
    const agencyId = await crmInsert('agencies', { name: 'Metrics', slug: 'metrics' })
    const packageId = await crmInsert('packages', { agency_id: agencyId, title: 'P' })
    await crmQuery("UPDATE sync_queue SET status = 'processed'")
    const report = (asOf: string, likes: number, followers: number) => ({
      metrics: [
        {
          entity_type: 'package',
          entity_id: packageId,
          likes_count: likes,
          rating: 4.5,
          as_of: asOf,
        },
        { entity_type: 'agency', entity_id: agencyId, followers_count: followers, as_of: asOf },
      ],
    })
    const send = async (value: unknown) => {
      const body = json(value)
      const headers = await standardHeaders(body, RED360_SECRET, crypto.randomUUID())
      return post('/webhooks/red360/social-metrics', body, headers)
    }

    expect((await send(report('2026-12-02T12:00:00Z', 30, 300))).status).toBe(202)
    expect((await send(report('2026-12-02T11:00:00Z', 10, 100))).status).toBe(202)
    await runMinuteCron()

    const [pkg] = await crmQuery('SELECT likes_count, rating FROM packages WHERE id = ?', [
      packageId,
    ])
    const [ag] = await crmQuery('SELECT followers_count FROM agencies WHERE id = ?', [agencyId])
    expect(pkg).toEqual({ likes_count: 30, rating: 4.5 })
    expect(ag).toEqual({ followers_count: 300 })
    expect(await outboxCounts()).toEqual({ processed: 2 })
  })
})
