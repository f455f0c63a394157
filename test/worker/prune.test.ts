import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { crmInsert, crmQuery, outboxCounts } from './support/crm'
import { d1Rows } from './support/d1'
import { resetWorld } from './support/worker'

beforeEach(resetWorld)

const DAY = 24 * 60 * 60 * 1000

async function attempt(jobId: string, createdAt: number) {
  await env.SYNC_DB.prepare(
    `INSERT INTO sync_attempts
     (job_id, entity_type, entity_id, attempt, outcome, duration_ms, created_at)
     VALUES (?, 'agency', 1, 1, 'pushed', 1, ?)`,
  )
    .bind(jobId, createdAt)
    .run()
}

async function receipt(deliveryId: string, expiresAt: number) {
  await env.SYNC_DB.prepare(
    `INSERT INTO webhook_receipts (source, delivery_id, event, received_at, expires_at)
     VALUES ('crm', ?, 'agency.updated', 0, ?)`,
  )
    .bind(deliveryId, expiresAt)
    .run()
}

describe('the nightly prune', () => {
  it('removes expired receipts, old attempts and old processed outbox rows only', async () => {
    const now = Date.now()
    await attempt('old', now - 31 * DAY)
    await attempt('recent', now - 1 * DAY)
    await receipt('expired', now - 1000)
    await receipt('live', now + DAY)
    for (const slug of ['a', 'b', 'c']) {
      await crmInsert('agencies', { name: slug, slug })
    }
    await crmQuery(
      `UPDATE sync_queue SET status = 'processed', processed_at = NOW(3) - INTERVAL 8 DAY
       WHERE entity_id = (SELECT MIN(entity_id) FROM (SELECT entity_id FROM sync_queue) AS q)`,
    )
    await crmQuery(`UPDATE sync_queue SET status = 'failed', failed_at = NOW(3) - INTERVAL 30 DAY
       WHERE status = 'pending' LIMIT 1`)

    await worker.scheduled(createScheduledController({ cron: '17 3 * * *' }), env)

    expect(await d1Rows('SELECT job_id FROM sync_attempts')).toEqual([{ job_id: 'recent' }])
    expect(await d1Rows('SELECT delivery_id FROM webhook_receipts')).toEqual([
      { delivery_id: 'live' },
    ])
    expect(await outboxCounts()).toEqual({ pending: 1, failed: 1 })
  })
})
