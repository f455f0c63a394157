/**
 * The SQL behind `npm run replay`: it marks failed jobs as requested for replay, and the next
 * cron run enqueues them again. The command runs it through `wrangler d1 execute`, locally or
 * against the deployed D1, so it needs no endpoint of its own. This module imports nothing
 * from the worker, so the Node command can load it directly.
 */
import { z } from 'zod'

const jobId = z.uuid()

/** The SQL that requests a replay of one failed job (by job id) or of all of them (`all`). */
export function replayRequestSql(target: string, now: number): string {
  const open = 'replay_requested_at IS NULL OR replayed_at IS NOT NULL'
  const set = `UPDATE failed_jobs SET replay_requested_at = ${Math.trunc(now)}, replayed_at = NULL`
  if (target === 'all') {
    return `${set} WHERE ${open};`
  }

  if (!jobId.safeParse(target).success) {
    throw new TypeError(`"${target}" is neither a job id (a UUID) nor "all"`)
  }

  return `${set} WHERE job_id = '${target}' AND (${open});`
}
