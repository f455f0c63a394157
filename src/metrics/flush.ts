/**
 * Copies the social metrics waiting in D1 (`social_metrics`, see `store.ts`) into the CRM's
 * counter columns; the every-minute cron runs it.
 *
 * The CRM's triggers ignore the counter columns (`followers_count`, `social_rating`,
 * `likes_count`, `comments_count`, `views_count`, `rating`): Red 360 owns them and the CRM
 * only keeps a copy, so this write adds no `sync_queue` row and never causes a sync back to
 * Red 360.
 *
 * The values are written absolute, never as increments, so a row flushed twice (the worker
 * stopped between the CRM write and clearing `dirty`) leaves the same values.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { type CrmConnection, withCrmConnection } from '../crm/connection'
import { socialMetrics } from '../db/schema'
import { log } from '../log'
import type { MetricsEntityType } from './schema'

/** How many entities of each type a flush wrote to the CRM. */
export interface FlushedMetrics {
  agencies: number
  packages: number
}

/** How many rows one CRM UPDATE writes. */
const ROWS_PER_UPDATE = 100

type MetricsRow = typeof socialMetrics.$inferSelect

interface CrmColumn {
  name: string
  value: (row: MetricsRow) => number | null
  /** `DECIMAL(3,2)` in the CRM: rounded to 2 decimals. */
  decimal?: boolean
}

interface CrmTarget {
  table: keyof FlushedMetrics
  columns: readonly CrmColumn[]
}

/** Which CRM table and columns receive each entity type's metrics. */
const crmTargets: Readonly<Record<MetricsEntityType, CrmTarget>> = {
  agency: {
    table: 'agencies',
    columns: [
      { name: 'followers_count', value: (row) => row.followersCount },
      { name: 'social_rating', value: (row) => row.socialRating, decimal: true },
    ],
  },
  package: {
    table: 'packages',
    columns: [
      { name: 'likes_count', value: (row) => row.likesCount },
      { name: 'comments_count', value: (row) => row.commentsCount },
      { name: 'views_count', value: (row) => row.viewsCount },
      { name: 'rating', value: (row) => row.rating, decimal: true },
    ],
  },
}

/**
 * Writes up to `limit` dirty rows (default 500), longest waiting first, to the CRM: one
 * UPDATE per entity type and chunk of 100 rows. A counter D1 does not have keeps the CRM's
 * value; an id the CRM does not have is left out without error. After each chunk, the rows
 * stop being dirty unless a newer report replaced them meanwhile, which the next flush then
 * writes. Opens no CRM connection when nothing is dirty.
 *
 * Throws when the CRM or D1 fails; chunks written before the failure stay flushed, the rest
 * stay dirty for the next run.
 */
export async function flushMetrics(env: Env, limit = 500): Promise<FlushedMetrics> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError('flushMetrics: limit must be a positive integer')
  }

  const started = Date.now()
  const orm = drizzle(env.SYNC_DB)
  const rows = await orm
    .select()
    .from(socialMetrics)
    .where(eq(socialMetrics.dirty, true))
    .orderBy(asc(socialMetrics.receivedAt))
    .limit(limit)

  const flushed: FlushedMetrics = { agencies: 0, packages: 0 }
  if (rows.length > 0) {
    await withCrmConnection(env.CRM_DB, async (crm) => {
      for (const [type, target] of Object.entries(crmTargets)) {
        const ofType = rows.filter((row) => row.entityType === type)
        for (let start = 0; start < ofType.length; start += ROWS_PER_UPDATE) {
          const chunk = ofType.slice(start, start + ROWS_PER_UPDATE)
          await writeToCrm(crm, target, chunk)
          await markFlushed(env.SYNC_DB, chunk, Date.now())
          flushed[target.table] += chunk.length
        }
      }
    })
  }

  log('info', 'metrics.flushed', { ...flushed, duration_ms: Date.now() - started })
  return flushed
}

/**
 * One UPDATE joining a derived table of the chunk's values, so 100 entities cost one round
 * trip. mysql2 inlines the values as literals, so a rating reaches the CRM as an exact
 * decimal and `ROUND` there rounds half up without the error of rounding a binary double.
 */
async function writeToCrm(
  crm: CrmConnection,
  target: CrmTarget,
  rows: readonly MetricsRow[],
): Promise<void> {
  const names = target.columns.map((column) => column.name)
  const firstRow = `SELECT ? AS id, ${names.map((name) => `? AS ${name}`).join(', ')}`
  const nextRow = `SELECT ?${', ?'.repeat(names.length)}`
  const values = [firstRow, ...rows.slice(1).map(() => nextRow)].join(' UNION ALL ')
  const assignments = target.columns.map(({ name, decimal }) => {
    const incoming = decimal === true ? `ROUND(m.${name}, 2)` : `m.${name}`
    return `t.${name} = COALESCE(${incoming}, t.${name})`
  })

  await crm.query(
    `UPDATE ${target.table} AS t JOIN (${values}) AS m ON m.id = t.id
     SET ${assignments.join(', ')}`,
    rows.flatMap((row) => [row.entityId, ...target.columns.map((column) => column.value(row))]),
  )
}

/**
 * Clears `dirty` on the rows whose `as_of` is still the one written to the CRM. The keys
 * travel as one JSON parameter, so the statement stays under D1's 100 bound parameters
 * whatever the chunk's size.
 */
async function markFlushed(
  db: D1Database,
  rows: readonly MetricsRow[],
  flushedAt: number,
): Promise<void> {
  const keys = JSON.stringify(rows.map((row) => [row.entityType, row.entityId, row.asOf]))

  await drizzle(db)
    .update(socialMetrics)
    .set({ dirty: false, flushedAt })
    .where(
      and(
        eq(socialMetrics.dirty, true),
        sql`(${socialMetrics.entityType}, ${socialMetrics.entityId}, ${socialMetrics.asOf}) IN (
          SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(${keys}))`,
      ),
    )
}
