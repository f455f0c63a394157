/**
 * Jobs that will not succeed: recorded in D1 `failed_jobs` for inspection and replay, and
 * their outbox rows marked failed in the CRM. The stored payload is the job message, which
 * holds ids only, never the entity's personal data.
 */
import { and, inArray, isNotNull, isNull } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { withCrmConnection } from '../crm/connection'
import { failedJobs } from '../db/schema'
import { markFailed } from '../outbox/rows'
import type { SyncJob } from './job'

/** A failure to record. */
export interface JobFailure {
  job: SyncJob
  attempts: number
  lastError: string
  /** The newest entity version the job tried; outbox rows up to it are marked failed. */
  version: number | null
}

/** Records the failure in D1 and in the CRM outbox. A repeated record updates the first. */
export async function recordFailure(env: Env, failure: JobFailure): Promise<void> {
  const { job } = failure
  const row = {
    jobId: job.job_id,
    entityType: job.entity_type,
    entityId: job.entity_id,
    attempts: failure.attempts,
    lastError: failure.lastError,
    payload: JSON.stringify(job),
    failedAt: Date.now(),
  }
  await drizzle(env.SYNC_DB)
    .insert(failedJobs)
    .values(row)
    .onConflictDoUpdate({
      target: failedJobs.jobId,
      set: { attempts: row.attempts, lastError: row.lastError, failedAt: row.failedAt },
    })

  const version = failure.version ?? job.version
  if (version !== undefined) {
    await withCrmConnection(env.CRM_DB, (crm) =>
      markFailed(crm, job.entity_type, job.entity_id, version, failure.lastError),
    )
  }
}

/** The most replays one cron run enqueues; also keeps the update under D1's 100 parameters. */
export const REPLAY_BATCH_LIMIT = 50

/** Failed jobs whose replay was requested and has not happened yet. */
export async function requestedReplays(
  db: D1Database,
): Promise<(typeof failedJobs.$inferSelect)[]> {
  return drizzle(db)
    .select()
    .from(failedJobs)
    .where(and(isNotNull(failedJobs.replayRequestedAt), isNull(failedJobs.replayedAt)))
    .limit(REPLAY_BATCH_LIMIT)
}

/** Marks failed jobs replayed. */
export async function markReplayed(db: D1Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) {
    return
  }

  await drizzle(db)
    .update(failedJobs)
    .set({ replayedAt: Date.now() })
    .where(inArray(failedJobs.id, [...ids]))
}
