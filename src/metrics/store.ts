/**
 * Keeps the newest social metrics per entity in D1 (`social_metrics`), for the cron to copy
 * into the CRM (see `flush.ts`).
 *
 * The newest `as_of` wins whatever the arrival order: an upsert changes a stored row only when
 * its report is strictly newer, so a late, repeated or reordered delivery changes nothing. A
 * newer report that omits a counter keeps the stored one. Trade-off: the row keeps one `as_of`,
 * not one per counter, so an older report that carried a counter the newer one omitted is lost
 * when it arrives after the newer one; Red 360 sends its counters together, so this is rare,
 * and the counter's next report repairs it.
 */
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { socialMetrics } from '../db/schema'
import type { SocialMetricsItem } from './schema'

/** How many upserts go to D1 in one batch. */
const STATEMENTS_PER_BATCH = 100

/**
 * Stores each report as one upsert (12 bound parameters, far under D1's 100), 100 upserts
 * to a batch.
 * Reports about one entity in the same call resolve by `as_of` like separate deliveries: the
 * statements run in order, each under the same rule. A stored row that changes becomes dirty.
 *
 * Each batch is one D1 transaction. When a later batch fails, the earlier ones stay stored;
 * a redelivery of the whole body is harmless, because an upsert of an already stored report
 * changes nothing.
 */
export async function storeMetrics(
  db: D1Database,
  items: readonly SocialMetricsItem[],
  receivedAt: number,
): Promise<void> {
  const orm = drizzle(db)
  const statements = items.map((item) =>
    orm
      .insert(socialMetrics)
      .values(toRow(item, receivedAt))
      .onConflictDoUpdate({
        target: [socialMetrics.entityType, socialMetrics.entityId],
        set: {
          followersCount: keepIfOmitted(socialMetrics.followersCount),
          socialRating: keepIfOmitted(socialMetrics.socialRating),
          likesCount: keepIfOmitted(socialMetrics.likesCount),
          commentsCount: keepIfOmitted(socialMetrics.commentsCount),
          viewsCount: keepIfOmitted(socialMetrics.viewsCount),
          rating: keepIfOmitted(socialMetrics.rating),
          asOf: sql`excluded.as_of`,
          receivedAt: sql`excluded.received_at`,
          dirty: true,
        },
        setWhere: sql`excluded.as_of > ${socialMetrics.asOf}`,
      }),
  )

  for (let start = 0; start < statements.length; start += STATEMENTS_PER_BATCH) {
    const [first, ...rest] = statements.slice(start, start + STATEMENTS_PER_BATCH)
    if (first !== undefined) {
      await orm.batch([first, ...rest])
    }
  }
}

/** The incoming value of `column`, or the stored one when the report left it out. */
function keepIfOmitted(column: SQLiteColumn) {
  return sql`coalesce(excluded.${sql.identifier(column.name)}, ${column})`
}

function toRow(item: SocialMetricsItem, receivedAt: number): typeof socialMetrics.$inferInsert {
  const common = {
    entityType: item.entity_type,
    entityId: item.entity_id,
    asOf: Date.parse(item.as_of),
    receivedAt,
    dirty: true,
  }

  if (item.entity_type === 'agency') {
    return {
      ...common,
      followersCount: item.followers_count ?? null,
      socialRating: item.social_rating ?? null,
    }
  }

  return {
    ...common,
    likesCount: item.likes_count ?? null,
    commentsCount: item.comments_count ?? null,
    viewsCount: item.views_count ?? null,
    rating: item.rating ?? null,
  }
}
