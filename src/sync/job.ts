/**
 * The sync job: the message on the SYNC_JOBS queue. It only says "this entity changed"; the
 * consumer reads the entity's current state from the CRM, so a job stays small (far below the
 * 128 KB message limit) and a late or repeated job can never push an old state.
 */
import { z } from 'zod'
import { entityTypes } from '../red360/contract'

/** Where a job came from, for logs and the dashboard. */
export const jobSources = ['outbox', 'webhook', 'api', 'bulk', 'replay'] as const

/** The schema of a job message. */
export const syncJob = z.object({
  job_id: z.uuid(),
  entity_type: z.enum(entityTypes),
  entity_id: z.number().int().positive(),
  /** The newest outbox version the job was made for; the consumer reads the current one. */
  version: z.number().int().nonnegative().optional(),
  source: z.enum(jobSources),
  enqueued_at: z.number().int(),
  /** The bulk sync the job belongs to, whose counters its final outcome moves. */
  bulk_id: z.uuid().optional(),
})

/** A sync job. */
export type SyncJob = z.infer<typeof syncJob>

/** Makes a new job for one entity. */
export function newSyncJob(
  type: SyncJob['entity_type'],
  id: number,
  source: SyncJob['source'],
  version?: number,
  bulkId?: string,
): SyncJob {
  return {
    job_id: crypto.randomUUID(),
    entity_type: type,
    entity_id: id,
    ...(version === undefined ? {} : { version }),
    source,
    enqueued_at: Date.now(),
    ...(bulkId === undefined ? {} : { bulk_id: bulkId }),
  }
}

/** Queues accept at most 100 messages per sendBatch call. */
export const SEND_BATCH_LIMIT = 100

/** Sends `jobs` to `queue`, in as few sendBatch calls as the limit allows. */
export async function sendJobs(queue: Queue, jobs: readonly SyncJob[]): Promise<void> {
  for (let start = 0; start < jobs.length; start += SEND_BATCH_LIMIT) {
    const chunk = jobs.slice(start, start + SEND_BATCH_LIMIT)
    await queue.sendBatch(chunk.map((job) => ({ body: job, contentType: 'json' as const })))
  }
}
