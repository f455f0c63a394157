/**
 * Replaying failed jobs. The replay command (`npm run replay`, see replay-request.ts) marks
 * rows of `failed_jobs` as requested; the next cron run enqueues a new job for each, which
 * reads the entity's current state as any job does.
 */
import { log } from '../log'
import { markReplayed, requestedReplays } from './failures'
import { newSyncJob, type SyncJob, sendJobs, syncJob } from './job'

/** Enqueues a fresh job for every requested replay. */
export async function enqueueReplays(env: Env, queue: Queue<SyncJob>): Promise<number> {
  const requested = await requestedReplays(env.SYNC_DB)
  if (requested.length === 0) {
    return 0
  }

  const jobs = requested.map((row) => {
    const type = syncJob.shape.entity_type.parse(row.entityType)
    return newSyncJob(type, row.entityId, 'replay')
  })
  await sendJobs(queue, jobs)
  await markReplayed(
    env.SYNC_DB,
    requested.map((row) => row.id),
  )

  for (const [index, row] of requested.entries()) {
    log('info', 'sync.replayed', {
      failed_job_id: row.jobId,
      job_id: jobs[index]?.job_id,
      entity: row.entityType,
      id: row.entityId,
    })
  }
  return jobs.length
}
