/** Test access to the worker's D1 state. */
import { env } from 'cloudflare:workers'

/** Empties the worker's D1 tables. */
export async function resetD1(): Promise<void> {
  await env.SYNC_DB.batch(
    [
      'sync_state',
      'sync_attempts',
      'failed_jobs',
      'webhook_receipts',
      'social_metrics',
      'api_tokens',
      'bulk_jobs',
    ].map((table) => env.SYNC_DB.prepare(`DELETE FROM ${table}`)),
  )
}

/** Rows of a D1 table matching a WHERE clause. */
export async function d1Rows(
  sql: string,
  ...values: unknown[]
): Promise<Record<string, unknown>[]> {
  return (
    await env.SYNC_DB.prepare(sql)
      .bind(...values)
      .all()
  ).results
}
