/**
 * Reading entities from the CRM and recording what became of their changes.
 */
import type { RowDataPacket } from 'mysql2/promise'
import type { EntityType } from '../red360/contract'
import { crmColumns, crmTables } from '../red360/transform/index'
import type { CrmConnection } from './connection'

/** An entity's current CRM row (null once deleted) and its change counter. */
export interface EntitySnapshot {
  row: Record<string, unknown> | null
  version: number
}

/**
 * Reads the entity's row and its version in one statement, so both come from the same
 * consistent snapshot. The read runs in a read-only transaction, which Hyperdrive never
 * answers from its cache.
 */
export async function readEntity(
  crm: CrmConnection,
  type: EntityType,
  id: number,
): Promise<EntitySnapshot> {
  const columns = crmColumns[type].map((column: string) => `t.\`${column}\``).join(', ')
  const sql = `
    SELECT COALESCE(v.version, 0) AS __version, t.id AS __present, ${columns}
    FROM (SELECT CAST(? AS UNSIGNED) AS id) AS k
    LEFT JOIN \`${crmTables[type]}\` AS t ON t.id = k.id
    LEFT JOIN sync_versions AS v ON v.entity_type = ? AND v.entity_id = k.id`

  await crm.query('START TRANSACTION READ ONLY')
  try {
    const [rows] = await crm.query<RowDataPacket[]>(sql, [id, type])
    await crm.query('COMMIT')

    const { __version, __present, ...row } = rows[0] ?? { __version: 0, __present: null }
    return { row: __present === null ? null : row, version: Number(__version) }
  } catch (error) {
    await crm.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/**
 * Stamps `synced_at` on the entity's CRM row; this column never causes a sync itself. NOW()
 * rather than UTC_TIMESTAMP(): a TIMESTAMP column converts from the session's time zone, so
 * the session's own clock stores the right instant whatever that zone is.
 */
export async function stampSyncedAt(
  crm: CrmConnection,
  type: EntityType,
  id: number,
): Promise<void> {
  await crm.query(`UPDATE \`${crmTables[type]}\` SET synced_at = NOW() WHERE id = ?`, [id])
}
