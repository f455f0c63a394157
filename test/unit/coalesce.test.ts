import { describe, expect, it } from 'vitest'
import { coalesce } from '../../src/outbox/poller'

describe('coalescing outbox rows into jobs', () => {
  it('makes one job per entity, carrying the newest version among its rows', () => {
    const jobs = coalesce([
      { id: 1, entityType: 'agency', entityId: 7, version: 1 },
      { id: 2, entityType: 'package', entityId: 7, version: 4 },
      { id: 3, entityType: 'agency', entityId: 7, version: 3 },
      { id: 4, entityType: 'agency', entityId: 7, version: 2 },
    ])

    const summary = jobs.map((job) => [job.entity_type, job.entity_id, job.version, job.source])
    expect(summary).toEqual([
      ['agency', 7, 3, 'outbox'],
      ['package', 7, 4, 'outbox'],
    ])
    expect(new Set(jobs.map((job) => job.job_id)).size).toBe(2)
  })
})
