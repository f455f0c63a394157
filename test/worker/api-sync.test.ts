import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { api } from './support/api'
import { crmInsert, crmQuery } from './support/crm'
import { eventually } from './support/eventually'
import { requireEntity, setFaults } from './support/sandbox'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)

const agencyRow = (slug: string) => ({ name: `Agencia ${slug}`, slug, status: 'activo' })

describe('POST /api/sync/{entity}', () => {
  it('queues a sync of an agency and answers 202 with the job', async () => {
    const id = await crmInsert('agencies', agencyRow('queued'))

    const response = await api('POST', '/api/sync/agency', { body: { agency_id: id } })

    expect(response.status).toBe(202)
    expect(await response.json()).toMatchObject({
      status: 'queued',
      job: { entity_type: 'agency', entity_id: id, job_id: expect.any(String) },
    })
    await eventually(() => requireEntity('agency', id))
  })

  it('runs the sync in the request with ?wait=true and answers its outcome', async () => {
    const id = await crmInsert('agencies', agencyRow('waited'))

    const first = await api('POST', '/api/sync/agency?wait=true', { body: { agency_id: id } })
    const again = await api('POST', '/api/sync/agency?wait=true', { body: { agency_id: id } })

    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ status: 'synced', outcome: 'pushed', version: 1 })
    expect(await again.json()).toMatchObject({ outcome: 'skipped', reason: 'unchanged' })
    expect(await requireEntity('agency', id)).toMatchObject({ version: 1 })
  })

  it('answers 502 with Red 360 refusal when the write is invalid there', async () => {
    const id = await crmInsert('agencies', agencyRow('refused'))
    await setFaults([{ match: { type: 'agency', id }, status: 422 }])

    const response = await api('POST', '/api/sync/agency?wait=true', { body: { agency_id: id } })

    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: 'sync_failed', http_status: 422 })
  })

  it('queues the job for retries when Red 360 is unavailable during a waited sync', async () => {
    const id = await crmInsert('agencies', agencyRow('later'))
    await setFaults([{ match: { type: 'agency', id }, status: 503, times: 1 }])

    const response = await api('POST', '/api/sync/agency?wait=true', { body: { agency_id: id } })

    expect(response.status).toBe(202)
    expect(await response.json()).toMatchObject({
      status: 'queued',
      retry_reason: 'injected_fault',
    })
    await eventually(() => requireEntity('agency', id))
  })

  it('answers 404 for an entity the CRM does not have', async () => {
    const response = await api('POST', '/api/sync/agency', { body: { agency_id: 999_999 } })

    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'not_found' })
  })

  it.each([
    ['a string id', { agency_id: 'x' }],
    ['a negative id', { agency_id: -1 }],
    ['a missing id', {}],
    ['an unknown field', { agency_id: 1, force: true }],
  ])('answers 422 for %s', async (_, body) => {
    const response = await api('POST', '/api/sync/agency', { body })

    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ error: 'validation_failed' })
  })

  it('syncs packages and users through their own routes and scopes', async () => {
    const agencyId = await crmInsert('agencies', agencyRow('parent'))
    const packageId = await crmInsert('packages', { agency_id: agencyId, title: 'Tour' })
    const userId = await crmInsert('users', { agency_id: agencyId, name: 'Ana', email: 'a@x.test' })

    const pkg = await api('POST', '/api/sync/package?wait=true', {
      body: { package_id: packageId },
    })
    const user = await api('POST', '/api/sync/user?wait=true', { body: { user_id: userId } })

    expect(pkg.status).toBe(200)
    expect(user.status).toBe(200)
    await requireEntity('package', packageId)
    await requireEntity('user', userId)
  })

  it('answers 403 insufficient_scope to a token without the sync scope', async () => {
    const response = await api('POST', '/api/sync/agency', {
      body: { agency_id: 1 },
      system: 'red360',
    })

    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({
      error: 'insufficient_scope',
      scope: 'sync:agencies',
    })
  })
})

describe('bulk syncs', () => {
  /** Polls the bulk job until finished, firing the minute cron now and then as production does. */
  async function waitUntilFinished(jobId: string, timeoutMs: number) {
    let polls = 0
    return eventually(
      async () => {
        polls += 1
        if (polls % 10 === 0) {
          await runMinuteCron()
        }
        const status = (await (await api('GET', `/api/sync/bulk/${jobId}`)).json()) as {
          finished: boolean
        }
        expect(status.finished).toBe(true)
        return status
      },
      timeoutMs,
      500,
    )
  }

  it('syncs 1,000 ids, some missing in the CRM, and finishes with the right counts', async () => {
    const rows = Array.from({ length: 950 }, (_, n) => [`Bulk ${n}`, `bulk-${n}`])
    await crmQuery('INSERT INTO agencies (name, slug) VALUES ?', [rows])
    await crmQuery("UPDATE sync_queue SET status = 'processed'")
    const [first] = await crmQuery('SELECT MIN(id) AS id FROM agencies')
    const start = Number(first?.id)
    const ids = Array.from({ length: 1000 }, (_, n) => start + n)

    const response = await api('POST', '/api/sync/bulk', { body: { type: 'agencies', ids } })
    expect(response.status).toBe(202)
    const { job_id } = (await response.json()) as { job_id: string }

    expect(await waitUntilFinished(job_id, 90_000)).toMatchObject({
      type: 'agencies',
      mode: 'ids',
      total: 1000,
      queued: 950,
      succeeded: 950,
      skipped: 0,
      failed: 50,
      not_found: 50,
      finished: true,
    })
  }, 120_000)

  it('backfills a table of 5,000 rows, paging by key', async () => {
    const rows = Array.from({ length: 5000 }, (_, n) => [`Backfill ${n}`, `backfill-${n}`])
    await crmQuery('INSERT INTO agencies (name, slug) VALUES ?', [rows])
    // Only the backfill should sync these rows, not the outbox poll of the cron fired below.
    await crmQuery("UPDATE sync_queue SET status = 'processed'")

    const response = await api('POST', '/api/sync/bulk', { body: { type: 'agencies', all: true } })
    expect(response.status).toBe(202)
    const { job_id } = (await response.json()) as { job_id: string }

    expect(await waitUntilFinished(job_id, 170_000)).toMatchObject({
      mode: 'all',
      total: 5000,
      queued: 5000,
      succeeded: 5000,
      failed: 0,
    })
  }, 180_000)

  it.each([
    ['no ids', { type: 'agencies', ids: [] }],
    ['1,001 ids', { type: 'agencies', ids: Array.from({ length: 1001 }, (_, n) => n + 1) }],
    ['an unknown type', { type: 'hotels', ids: [1] }],
    ['all: false', { type: 'agencies', all: false }],
  ])('answers 422 for %s', async (_, body) => {
    const response = await api('POST', '/api/sync/bulk', { body })

    expect(response.status).toBe(422)
  })

  it('answers 403 when the token lacks the scope of the bulk type', async () => {
    const response = await api('POST', '/api/sync/bulk', {
      body: { type: 'users', ids: [1] },
      system: 'red360',
    })

    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ scope: 'sync:users' })
  })

  it('answers 404 for an unknown bulk job', async () => {
    const response = await api('GET', `/api/sync/bulk/${crypto.randomUUID()}`)

    expect(response.status).toBe(404)
  })
})

describe('API configuration', () => {
  it('answers 503 not_configured, not 500, when API_TOKEN_SECRET is missing', async () => {
    const response = await createApp().request(
      '/api/sync/agency',
      { method: 'POST', headers: { authorization: 'Bearer a.b.c' }, body: '{}' },
      { ...env, API_TOKEN_SECRET: '' },
    )

    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ error: 'not_configured' })
  })
})
