/**
 * The nightly clean-up: expired webhook receipts and old attempts in D1, and processed outbox
 * rows in the CRM. Failed jobs and failed outbox rows are kept until someone looks at them.
 * Deletes go in bounded slices, so no single statement runs long on a large backlog.
 */
import { withCrmConnection } from '../crm/connection'
import { log } from '../log'

/** How long attempts are kept in D1. */
export const ATTEMPT_RETENTION_DAYS = 30

/** How long processed outbox rows are kept in the CRM. */
export const OUTBOX_RETENTION_DAYS = 7

/** Rows one delete statement removes at most. */
export const PRUNE_SLICE = 5_000

/** The most slices one run deletes per table; the next night continues. */
export const PRUNE_MAX_SLICES = 40

const DAY_MS = 24 * 60 * 60 * 1000

/** What one run removed. */
export interface PruneReport {
  receipts: number
  attempts: number
  outboxRows: number
}

/** Removes what is past its retention. */
export async function prune(env: Env, now = Date.now()): Promise<PruneReport> {
  const receipts = await deleteInSlices(() =>
    d1Delete(env.SYNC_DB, 'webhook_receipts', 'rowid', 'expires_at', now),
  )
  const attempts = await deleteInSlices(() =>
    d1Delete(
      env.SYNC_DB,
      'sync_attempts',
      'id',
      'created_at',
      now - ATTEMPT_RETENTION_DAYS * DAY_MS,
    ),
  )
  const outboxRows = await withCrmConnection(env.CRM_DB, (crm) =>
    deleteInSlices(async () => {
      const [result] = await crm.query(
        `DELETE FROM sync_queue
         WHERE status = 'processed' AND processed_at < NOW(3) - INTERVAL ? DAY
         LIMIT ?`,
        [OUTBOX_RETENTION_DAYS, PRUNE_SLICE],
      )
      return (result as { affectedRows: number }).affectedRows
    }),
  )

  const report = { receipts, attempts, outboxRows }
  log('info', 'state.pruned', { ...report })
  return report
}

async function d1Delete(
  db: D1Database,
  table: string,
  key: string,
  column: string,
  before: number,
): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM ${table} WHERE ${key} IN
       (SELECT ${key} FROM ${table} WHERE ${column} < ?1 LIMIT ?2)`,
    )
    .bind(before, PRUNE_SLICE)
    .run()
  return result.meta.changes
}

async function deleteInSlices(deleteSlice: () => Promise<number>): Promise<number> {
  let total = 0
  for (let slice = 0; slice < PRUNE_MAX_SLICES; slice += 1) {
    const deleted = await deleteSlice()
    total += deleted
    if (deleted < PRUNE_SLICE) {
      return total
    }
  }

  log('warn', 'state.prune_capped', { slices: PRUNE_MAX_SLICES, total })
  return total
}
