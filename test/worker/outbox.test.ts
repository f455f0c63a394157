import { createExecutionContext, createMessageBatch } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { withCrmConnection } from '../../src/crm/connection'
import worker from '../../src/index'
import { pollOutbox } from '../../src/outbox/poller'
import { claimRows } from '../../src/outbox/rows'
import { newSyncJob } from '../../src/sync/job'
import { crmInsert, crmQuery, crmUpdate, outboxCounts, outboxRows } from './support/crm'
import { d1Rows } from './support/d1'
import { eventually } from './support/eventually'
import {
  faultRules,
  requestLog,
  requireEntity,
  resetSandbox,
  setFaults,
  storedEntity,
} from './support/sandbox'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)

const pollOptions = { batchSize: 500, leaseSeconds: 120, timeBudgetMs: 20_000 }

function poll() {
  return pollOutbox(env.CRM_DB, env.SYNC_JOBS, pollOptions)
}

async function deliver(job: ReturnType<typeof newSyncJob>): Promise<void> {
  const batch = createMessageBatch('red360-sync-jobs', [
    { id: job.job_id, timestamp: new Date(), attempts: 1, body: job },
  ])
  createExecutionContext()
  await worker.queue(batch, env)
}

function putsFor(id: number) {
  return requestLog().then((log) => log.filter((r) => r.method === 'PUT' && r.id === id))
}

describe('the outbox poller', () => {
  it('claims the rows of a run that died after claiming once their lease has run out', async () => {
    const id = await crmInsert('agencies', { name: 'Lease', slug: 'lease' })
    await withCrmConnection(env.CRM_DB, (crm) => claimRows(crm, crypto.randomUUID(), 100, 120))

    expect((await poll()).rows).toBe(0)
    expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual(['claimed'])

    await crmQuery('UPDATE sync_queue SET lease_until = NOW(3) - INTERVAL 1 SECOND')
    expect((await poll()).rows).toBe(1)

    await eventually(() => requireEntity('agency', id))
    const [row] = await outboxRows('agency', id)
    expect(row).toMatchObject({ status: 'processed', attempts: 2 })
  })

  it('never lets two overlapping runs claim the same row', async () => {
    for (let n = 0; n < 40; n += 1) {
      await crmInsert('agencies', { name: `Par ${n}`, slug: `par-${n}` })
    }

    const claim = () =>
      withCrmConnection(env.CRM_DB, (crm) => claimRows(crm, crypto.randomUUID(), 30, 120))
    const [first, second] = await Promise.all([claim(), claim()])

    const ids = [...first, ...second].map((row) => row.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(40)
  })

  it('drains a backlog of 5,000 outbox rows in one run, leaving none pending', async () => {
    const values = Array.from({ length: 1000 }, (_, n) => [`Backlog ${n}`, `backlog-${n}`])
    await crmQuery('INSERT INTO agencies (name, slug) VALUES ?', [values])
    for (let round = 1; round <= 4; round += 1) {
      await crmQuery('UPDATE agencies SET description = ?', [`round ${round}`])
    }
    expect(await outboxCounts()).toEqual({ pending: 5000 })

    const report = await poll()

    expect(report).toMatchObject({ rows: 5000, jobs: 1000 })
    await eventually(
      async () => {
        expect(await outboxCounts()).toEqual({ processed: 5000 })
      },
      120_000,
      500,
    )
    const [synced] = await crmQuery('SELECT COUNT(*) AS n FROM agencies WHERE synced_at IS NULL')
    expect(Number(synced?.n)).toBe(0)
  }, 180_000)
})

describe('duplicates and ordering', () => {
  it('turns duplicate triggers for one change into one write', async () => {
    const id = await crmInsert('agencies', { name: 'Dup', slug: 'dup' })
    await crmQuery(
      `INSERT INTO sync_queue (entity_type, entity_id, action, version)
       SELECT entity_type, entity_id, action, version FROM sync_queue WHERE entity_id = ?`,
      [id],
    )

    await runMinuteCron()
    await eventually(() => requireEntity('agency', id))
    await deliver(newSyncJob('agency', id, 'webhook'))

    expect(await putsFor(id)).toHaveLength(1)
    expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual([
      'processed',
      'processed',
    ])
  })

  it('never lets an older read overwrite a newer version', async () => {
    const id = await crmInsert('agencies', { name: 'Old', slug: 'old' })
    await setFaults([{ match: { type: 'agency', id }, latency_ms: 2000, times: 1 }])

    const slow = deliver(newSyncJob('agency', id, 'api'))
    // The rule is used up once the slow write reached the sandbox, having read the old name.
    await eventually(async () => expect(await faultRules()).toEqual([]))
    await crmUpdate('agencies', id, { name: 'New' })
    await deliver(newSyncJob('agency', id, 'api'))
    await slow

    const stored = await storedEntity('agency', id)
    expect(stored).toMatchObject({ version: 2, representation: { name: 'New' } })
    expect((await putsFor(id)).map((r) => r.status).sort()).toEqual([201, 409])
    const state = await d1Rows('SELECT version FROM sync_state WHERE entity_id = ?', id)
    expect(state).toEqual([{ version: 2 }])
  })
})

describe('what D1 remembers', () => {
  it('writes a reverted change though D1 remembers that content at an older version', async () => {
    const id = await crmInsert('agencies', { name: 'Alpha', slug: 'alpha' })
    await deliver(newSyncJob('agency', id, 'api'))
    const [remembered] = await d1Rows('SELECT content_hash FROM sync_state WHERE entity_id = ?', id)
    await crmUpdate('agencies', id, { name: 'Beta' })
    await deliver(newSyncJob('agency', id, 'api'))

    // As if the answer to the Beta write had been lost: D1 still remembers Alpha at v1.
    await env.SYNC_DB.prepare(
      'UPDATE sync_state SET version = 1, content_hash = ? WHERE entity_id = ?',
    )
      .bind(remembered?.content_hash, id)
      .run()
    await crmUpdate('agencies', id, { name: 'Alpha' })
    await deliver(newSyncJob('agency', id, 'api'))

    expect(await storedEntity('agency', id)).toMatchObject({
      version: 3,
      representation: { name: 'Alpha' },
    })
  })

  it('re-sends a parent agency that D1 says is synced when Red 360 answers 424', async () => {
    const agencyId = await crmInsert('agencies', { name: 'Parent', slug: 'parent' })
    await deliver(newSyncJob('agency', agencyId, 'api'))
    await resetSandbox()
    const packageId = await crmInsert('packages', { agency_id: agencyId, title: 'Child' })

    await deliver(newSyncJob('package', packageId, 'api'))

    expect(await storedEntity('agency', agencyId)).toMatchObject({ version: 1 })
    expect(await storedEntity('package', packageId)).toMatchObject({ version: 1 })
  })

  it('retries a 409 that is not a version conflict instead of taking it as success', async () => {
    const id = await crmInsert('agencies', { name: 'Busy', slug: 'busy' })
    await setFaults([{ match: { type: 'agency', id }, status: 409, times: 1 }])

    await runMinuteCron()

    await eventually(() => requireEntity('agency', id))
    const statuses = (await requestLog()).filter((r) => r.id === id).map((r) => r.status)
    expect(statuses).toEqual([409, 201])
  })
})
