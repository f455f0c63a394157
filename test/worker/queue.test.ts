import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'

describe('the queue handler', () => {
  it('hands every message back to the queue instead of acknowledging it unprocessed', async () => {
    const batch = createMessageBatch('red360-sync-jobs', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { entity: 'agency', id: 1 } },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { entity: 'package', id: 2 } },
    ])
    const ctx = createExecutionContext()

    await worker.queue(batch, env)
    const result = await getQueueResult(batch, ctx)

    expect(result.explicitAcks).toEqual([])
    expect(result.retryBatch.retry).toBe(true)
    expect(result.retryMessages).toEqual([])
  })
})
