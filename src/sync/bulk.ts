/**
 * Bulk syncs and backfills (`bulk_jobs` in D1). An explicit list of up to 1,000 ids is checked
 * against the CRM and enqueued at once; ids the CRM lacks are counted as failed (`not_found`)
 * and never stop the others. A backfill pages through the CRM table by key, 1,000 ids a page,
 * never loading it whole: the request starts it, and the every-minute cron carries on until
 * every id is enqueued. Jobs carry the bulk id, and the consumer moves the counters when a
 * job reaches its final outcome.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { RowDataPacket } from 'mysql2/promise'
import { withCrmConnection } from '../crm/connection'
import { bulkJobs } from '../db/schema'
import { log } from '../log'
import type { EntityType } from '../red360/contract'
import { crmTables } from '../red360/transform/index'
import { newSyncJob, type SyncJob, sendJobs } from './job'

/** Ids one backfill page reads from the CRM. */
export const BACKFILL_PAGE_SIZE = 1_000

/** A bulk job's progress, as the API reports it. */
export type BulkJobRow = typeof bulkJobs.$inferSelect

/** Starts a bulk sync of explicit ids; returns the bulk job id. */
export async function startBulkIds(
  env: Env,
  type: EntityType,
  ids: readonly number[],
): Promise<string> {
  const unique = [...new Set(ids)]
  const existing = await withCrmConnection(env.CRM_DB, async (crm) => {
    const [rows] = await crm.query<RowDataPacket[]>(
      `SELECT id FROM \`${crmTables[type]}\` WHERE id IN (?)`,
      [unique],
    )
    return new Set(rows.map((row) => Number(row.id)))
  })
  const found = unique.filter((id) => existing.has(id))
  const missing = unique.length - found.length

  const id = crypto.randomUUID()
  await drizzle(env.SYNC_DB)
    .insert(bulkJobs)
    .values({
      id,
      entityType: type,
      mode: 'ids',
      total: unique.length,
      failed: missing,
      notFound: missing,
      enumerated: true,
      createdAt: Date.now(),
      finishedAt: found.length === 0 ? Date.now() : null,
    })

  await enqueue(env, id, type, found)
  return id
}

/** Starts a backfill of a whole CRM table; `advanceBackfill` does the paging. */
export async function startBackfill(env: Env, type: EntityType): Promise<string> {
  const id = crypto.randomUUID()
  await drizzle(env.SYNC_DB)
    .insert(bulkJobs)
    .values({ id, entityType: type, mode: 'all', createdAt: Date.now() })
  return id
}

/**
 * Enqueues backfill pages until the table is done or `budgetMs` is spent. A page is claimed
 * by moving the cursor with a compare-and-set first, so two advancers (the request and the
 * cron) never enqueue the same page; a page whose sending fails is handed back.
 *
 * Trade-off: an invocation that dies between claiming a page and sending it (a deploy in the
 * middle) loses that page: its ids are not synced and the bulk job never reports finished.
 * Sending first would instead let two advancers send one page twice and count it twice.
 */
export async function advanceBackfill(env: Env, id: string, budgetMs: number): Promise<void> {
  const started = Date.now()
  const orm = drizzle(env.SYNC_DB)

  while (Date.now() - started < budgetMs) {
    const [job] = await orm.select().from(bulkJobs).where(eq(bulkJobs.id, id)).limit(1)
    if (job === undefined || job.enumerated) {
      return
    }

    const type = job.entityType as EntityType
    const ids = await nextPage(env, type, job.cursor)
    const last = ids.at(-1) ?? job.cursor
    const done = ids.length < BACKFILL_PAGE_SIZE
    const claimed = await orm
      .update(bulkJobs)
      .set({ cursor: last, enumerated: done, total: sql`${bulkJobs.total} + ${ids.length}` })
      .where(
        and(eq(bulkJobs.id, id), eq(bulkJobs.cursor, job.cursor), eq(bulkJobs.enumerated, false)),
      )
      .returning({ id: bulkJobs.id })
    if (claimed.length === 0) {
      continue
    }

    try {
      await enqueue(env, id, type, ids)
    } catch (error) {
      await orm
        .update(bulkJobs)
        .set({
          cursor: job.cursor,
          enumerated: false,
          total: sql`${bulkJobs.total} - ${ids.length}`,
        })
        .where(and(eq(bulkJobs.id, id), eq(bulkJobs.cursor, last)))
      throw error
    }
    await markFinishedIfDone(env.SYNC_DB, id)
  }
}

/** Carries on every backfill that has ids left to enqueue; run by the every-minute cron. */
export async function advanceBackfills(env: Env, budgetMs: number): Promise<number> {
  const open = await drizzle(env.SYNC_DB)
    .select({ id: bulkJobs.id })
    .from(bulkJobs)
    .where(and(eq(bulkJobs.mode, 'all'), eq(bulkJobs.enumerated, false)))
  const started = Date.now()

  for (const { id } of open) {
    await advanceBackfill(env, id, budgetMs - (Date.now() - started))
  }
  return open.length
}

/** Reads a bulk job. */
export async function readBulkJob(db: D1Database, id: string): Promise<BulkJobRow | null> {
  const rows = await drizzle(db).select().from(bulkJobs).where(eq(bulkJobs.id, id)).limit(1)
  return rows[0] ?? null
}

/** Whether every id was enqueued and every job reached its final outcome. */
export function isFinished(job: BulkJobRow): boolean {
  return job.enumerated && job.succeeded + job.skipped + job.failed >= job.total
}

/** Final outcomes of a batch's bulk jobs, to add to their counters. */
export type BulkTally = Map<string, { succeeded: number; skipped: number; failed: number }>

/** Adds a job's final outcome to `tally`. */
export function tallyOutcome(
  tally: BulkTally,
  job: SyncJob,
  outcome: 'succeeded' | 'skipped' | 'failed',
): void {
  if (job.bulk_id === undefined) {
    return
  }

  const counts = tally.get(job.bulk_id) ?? { succeeded: 0, skipped: 0, failed: 0 }
  counts[outcome] += 1
  tally.set(job.bulk_id, counts)
}

/** Adds a batch's tally to the bulk jobs' counters, one statement per bulk job. */
export async function applyTally(db: D1Database, tally: BulkTally): Promise<void> {
  for (const [id, counts] of tally) {
    await drizzle(db)
      .update(bulkJobs)
      .set({
        succeeded: sql`${bulkJobs.succeeded} + ${counts.succeeded}`,
        skipped: sql`${bulkJobs.skipped} + ${counts.skipped}`,
        failed: sql`${bulkJobs.failed} + ${counts.failed}`,
      })
      .where(eq(bulkJobs.id, id))
    await markFinishedIfDone(db, id)
  }
}

async function markFinishedIfDone(db: D1Database, id: string): Promise<void> {
  const settled = sql`${bulkJobs.succeeded} + ${bulkJobs.skipped} + ${bulkJobs.failed}`
  const done = sql`${settled} >= ${bulkJobs.total}`
  await drizzle(db)
    .update(bulkJobs)
    .set({ finishedAt: Date.now() })
    .where(
      and(eq(bulkJobs.id, id), eq(bulkJobs.enumerated, true), isNull(bulkJobs.finishedAt), done),
    )
}

async function nextPage(env: Env, type: EntityType, after: number): Promise<number[]> {
  return withCrmConnection(env.CRM_DB, async (crm) => {
    const [rows] = await crm.query<RowDataPacket[]>(
      `SELECT id FROM \`${crmTables[type]}\` WHERE id > ? ORDER BY id LIMIT ?`,
      [after, BACKFILL_PAGE_SIZE],
    )
    return rows.map((row) => Number(row.id))
  })
}

async function enqueue(
  env: Env,
  bulkId: string,
  type: EntityType,
  ids: readonly number[],
): Promise<void> {
  const jobs = ids.map((entityId) => newSyncJob(type, entityId, 'bulk', undefined, bulkId))
  await sendJobs(env.SYNC_JOBS, jobs)

  await drizzle(env.SYNC_DB)
    .update(bulkJobs)
    .set({ queued: sql`${bulkJobs.queued} + ${ids.length}` })
    .where(eq(bulkJobs.id, bulkId))
  log('info', 'bulk.enqueued', { bulk_id: bulkId, entity: type, jobs: ids.length })
}
