import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { newSyncJob } from '../../src/sync/job'
import { crmInsert, outboxRows } from './support/crm'
import { d1Rows } from './support/d1'
import { eventually } from './support/eventually'
import { requestLog, requireEntity, setFaults, storedEntity } from './support/sandbox'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)

function agencyRow(slug: string) {
  return { name: `Agencia ${slug}`, slug, status: 'activo' }
}

async function deliver(job: ReturnType<typeof newSyncJob>, attempts = 1) {
  const batch = createMessageBatch('red360-sync-jobs', [
    { id: job.job_id, timestamp: new Date(), attempts, body: job },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  return getQueueResult(batch, ctx)
}

describe('retries and dead letters', () => {
  it('succeeds on a later attempt when Red 360 fails twice first', async () => {
    const id = await crmInsert('agencies', agencyRow('twice'))
    await setFaults([{ match: { type: 'agency', id }, status: 503, times: 2 }])

    await runMinuteCron()

    await eventually(() => requireEntity('agency', id))
    const statuses = (await requestLog()).filter((r) => r.id === id).map((r) => r.status)
    expect(statuses).toEqual([503, 503, 201])
    const attempts = await eventually(async () => {
      const rows = await d1Rows(
        `SELECT attempt, outcome, http_status FROM sync_attempts
         WHERE entity_id = ? ORDER BY attempt`,
        id,
      )
      expect(rows).toHaveLength(3)
      return rows
    })
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'retrying', http_status: 503 },
      { attempt: 2, outcome: 'retrying', http_status: 503 },
      { attempt: 3, outcome: 'pushed', http_status: 201 },
    ])
    await eventually(async () => {
      expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual(['processed'])
    })
  })

  it('records a failed job and fails its outbox rows when Red 360 always fails', async () => {
    const id = await crmInsert('agencies', agencyRow('always'))
    await setFaults([{ match: { type: 'agency', id }, status: 500 }])

    await runMinuteCron()

    const [failed] = await eventually(async () => {
      const rows = await d1Rows('SELECT * FROM failed_jobs WHERE entity_id = ?', id)
      expect(rows).toHaveLength(1)
      return rows
    })
    expect(failed).toMatchObject({ entity_type: 'agency', attempts: 4 })
    expect(String(failed?.payload)).not.toContain('Agencia')
    expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual(['failed'])
    expect(await storedEntity('agency', id)).toBeNull()
  })

  it('fails at once, without retrying, when Red 360 answers 422', async () => {
    const id = await crmInsert('agencies', agencyRow('invalid'))
    await setFaults([{ match: { type: 'agency', id }, status: 422 }])

    const result = await deliver(newSyncJob('agency', id, 'api'))

    expect(result.explicitAcks).toHaveLength(1)
    expect(result.retryMessages).toEqual([])
    const rows = await d1Rows(
      'SELECT attempts, last_error FROM failed_jobs WHERE entity_id = ?',
      id,
    )
    expect(rows).toEqual([{ attempts: 1, last_error: 'injected_fault' }])
  })

  it('retries a 429 no sooner than its Retry-After', async () => {
    const id = await crmInsert('agencies', agencyRow('throttled'))
    await setFaults([{ match: { type: 'agency', id }, status: 429, retry_after: 3, times: 1 }])

    await runMinuteCron()
    await eventually(() => requireEntity('agency', id))

    const [throttled, accepted] = (await requestLog()).filter((r) => r.id === id)
    expect([throttled?.status, accepted?.status]).toEqual([429, 201])
    // The configured delay is 1 s here; only Retry-After can explain a gap of 3 s.
    expect((accepted?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(2_900)
  })

  it('replays a failed job once Red 360 recovers', async () => {
    const id = await crmInsert('agencies', agencyRow('replayed'))
    await setFaults([{ match: { type: 'agency', id }, status: 500 }])
    await runMinuteCron()
    const [failed] = await eventually(async () => {
      const rows = await d1Rows('SELECT job_id FROM failed_jobs WHERE entity_id = ?', id)
      expect(rows).toHaveLength(1)
      return rows
    })

    await setFaults([])
    const { replayRequestSql } = await import('../../src/sync/replay-request')
    await env.SYNC_DB.prepare(replayRequestSql(String(failed?.job_id), Date.now())).run()
    await runMinuteCron()

    await eventually(() => requireEntity('agency', id))
    await eventually(async () => {
      expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual(['processed'])
    })
    const replayed = await d1Rows('SELECT replayed_at FROM failed_jobs WHERE entity_id = ?', id)
    expect(replayed[0]?.replayed_at).not.toBeNull()
  })
})
