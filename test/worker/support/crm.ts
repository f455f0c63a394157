/** Test access to the CRM test database, through the worker's own Hyperdrive binding. */
import { env } from 'cloudflare:workers'
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { withCrmConnection } from '../../../src/crm/connection'

/** Runs one statement and returns its rows. */
export function crmQuery<T extends RowDataPacket = RowDataPacket>(
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return withCrmConnection(env.CRM_DB, async (crm) => (await crm.query<T[]>(sql, values))[0])
}

/** Inserts a row and returns its id. */
export function crmInsert(table: string, values: Record<string, unknown>): Promise<number> {
  return withCrmConnection(env.CRM_DB, async (crm) => {
    const [result] = await crm.query<ResultSetHeader>('INSERT INTO ?? SET ?', [table, values])
    return result.insertId
  })
}

/** Updates one row by id. */
export async function crmUpdate(
  table: string,
  id: number,
  values: Record<string, unknown>,
): Promise<void> {
  await crmQuery('UPDATE ?? SET ? WHERE id = ?', [table, values, id])
}

/** Empties the CRM tables, the outbox and the version counters. */
export async function resetCrm(): Promise<void> {
  await withCrmConnection(env.CRM_DB, async (crm) => {
    for (const table of ['packages', 'users', 'agencies', 'sync_queue', 'sync_versions']) {
      await crm.query('DELETE FROM ??', [table])
    }
  })
}

/** The entity's outbox rows, oldest first. */
export function outboxRows(type: string, id: number): Promise<RowDataPacket[]> {
  return crmQuery(
    `SELECT id, action, version, status, attempts, last_error FROM sync_queue
     WHERE entity_type = ? AND entity_id = ? ORDER BY id`,
    [type, id],
  )
}

/** How many outbox rows are in each status. */
export async function outboxCounts(): Promise<Record<string, number>> {
  const rows = await crmQuery('SELECT status, COUNT(*) AS n FROM sync_queue GROUP BY status')
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]))
}
