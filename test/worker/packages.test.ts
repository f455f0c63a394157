import { createExecutionContext, createMessageBatch } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { newSyncJob } from '../../src/sync/job'
import { crmInsert, crmUpdate } from './support/crm'
import { notifications, requestLog, requireEntity } from './support/sandbox'
import { resetWorld } from './support/worker'

beforeEach(resetWorld)

async function sync(type: 'agency' | 'package', id: number): Promise<void> {
  const job = newSyncJob(type, id, 'api')
  const batch = createMessageBatch('red360-sync-jobs', [
    { id: job.job_id, timestamp: new Date(), attempts: 1, body: job },
  ])
  createExecutionContext()
  await worker.queue(batch, env)
}

async function newPackage(): Promise<{ agencyId: number; id: number }> {
  const agencyId = await crmInsert('agencies', { name: 'Andes', slug: `andes-${Date.now()}` })
  const id = await crmInsert('packages', {
    agency_id: agencyId,
    title: 'Machu Picchu',
    destination: 'Cusco',
  })
  return { agencyId, id }
}

describe('packages', () => {
  it('syncs the agency first when Red 360 does not know it yet', async () => {
    const { agencyId, id } = await newPackage()

    await sync('package', id)

    expect(await requireEntity('agency', agencyId)).toMatchObject({ version: 1 })
    expect(await requireEntity('package', id)).toMatchObject({ version: 1 })
    const puts = (await requestLog()).filter((r) => r.method === 'PUT')
    expect(puts.map((r) => [r.type, r.status])).toEqual([
      ['package', 424],
      ['agency', 201],
      ['package', 201],
    ])
  })

  it('notifies followers once per real change, naming the changed fields', async () => {
    const { agencyId, id } = await newPackage()
    await sync('package', id)
    await sync('package', id)

    await crmUpdate('packages', id, { title: 'Machu Picchu 2x1' })
    await sync('package', id)
    await sync('package', id)

    await crmUpdate('packages', id, { featured: 1 })
    await sync('package', id)

    expect(await notifications()).toEqual([
      {
        event: 'package.created',
        package_id: id,
        agency_id: agencyId,
        version: 1,
        changed: expect.arrayContaining(['title', 'destination']),
      },
      {
        event: 'package.updated',
        package_id: id,
        agency_id: agencyId,
        version: 2,
        changed: ['title'],
      },
    ])
  })
})
