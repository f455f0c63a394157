/**
 * The outbox poller, run by the every-minute cron. It claims outbox rows, turns them into one
 * sync job per entity and sends the jobs to the queue, then claims again while its time budget
 * lasts, so a backlog of thousands drains in one run instead of a page per minute.
 *
 * A run that dies after claiming leaves its rows `claimed`; once their lease runs out the next
 * run claims them again. A run that dies after sending but before marking the rows `queued`
 * makes the next run send those jobs again, which is harmless: jobs are idempotent.
 */
import { withCrmConnection } from '../crm/connection'
import { log } from '../log'
import { newSyncJob, type SyncJob, sendJobs } from '../sync/job'
import { claimRows, markQueued, type OutboxRow } from './rows'

/** Options of one poller run. */
export interface PollOptions {
  batchSize: number
  leaseSeconds: number
  /** Stop claiming once this many milliseconds have passed. */
  timeBudgetMs: number
}

/** What one run did. */
export interface PollReport {
  claims: number
  rows: number
  jobs: number
}

/** Drains the outbox into the sync queue. */
export async function pollOutbox(
  hyperdrive: Hyperdrive,
  queue: Queue<SyncJob>,
  options: PollOptions,
): Promise<PollReport> {
  const started = Date.now()
  const report: PollReport = { claims: 0, rows: 0, jobs: 0 }

  await withCrmConnection(hyperdrive, async (crm) => {
    do {
      const claimToken = crypto.randomUUID()
      const rows = await claimRows(crm, claimToken, options.batchSize, options.leaseSeconds)
      if (rows.length === 0) {
        break
      }

      const jobs = coalesce(rows)
      await sendJobs(queue, jobs)
      await markQueued(crm, claimToken)

      report.claims += 1
      report.rows += rows.length
      report.jobs += jobs.length
    } while (Date.now() - started < options.timeBudgetMs)
  })

  log('info', 'outbox.polled', { ...report, duration_ms: Date.now() - started })
  return report
}

/** One job per entity, carrying the newest version among its rows. */
export function coalesce(rows: readonly OutboxRow[]): SyncJob[] {
  const newest = new Map<string, OutboxRow>()
  for (const row of rows) {
    const key = `${row.entityType}:${row.entityId}`
    const seen = newest.get(key)
    if (seen === undefined || row.version > seen.version) {
      newest.set(key, row)
    }
  }

  return [...newest.values()].map((row) =>
    newSyncJob(row.entityType, row.entityId, 'outbox', row.version),
  )
}
