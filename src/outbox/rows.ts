/**
 * The outbox table `sync_queue` (migrations/crm): claiming rows for a poller run and settling
 * them once their entity's job has run.
 *
 * Statuses: pending → claimed (leased to one poller run) → queued (a job is on the queue) →
 * processed | failed. A claimed or queued row whose lease has run out is claimable again.
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import type { CrmConnection } from '../crm/connection'
import type { EntityType } from '../red360/contract'

/** One claimed outbox row. */
export interface OutboxRow {
  id: number
  entityType: EntityType
  entityId: number
  version: number
}

/** How long a queued row waits for its job before a poller may send another one. */
export const QUEUED_LEASE_SECONDS = 900

/**
 * Claims rows for `leaseSeconds` under `claimToken`: up to `limit` claimable rows, oldest
 * first, plus every other pending row of the same entities, so that one job covers all of an
 * entity's waiting changes. Rows whose lease ran out come before pending ones.
 *
 * The claim runs in one READ COMMITTED transaction with `FOR UPDATE SKIP LOCKED` over
 * index-ordered scans that stop at the limit, so overlapping runs neither claim the same row
 * nor wait for each other (READ COMMITTED takes no gap locks, which would otherwise deadlock
 * two claims moving rows between index ranges); a transaction is also never answered from
 * Hyperdrive's cache. A deadlock all the same is retried a few times.
 *
 * Trade-off: the isolation level is set by a statement of its own before the transaction,
 * and Hyperdrive pools server connections per transaction, so behind Hyperdrive the claim may
 * run under the server's default (REPEATABLE READ). It then takes gap locks: claims wait for
 * each other more and deadlock more often, which the retries absorb; no row is ever claimed
 * twice either way.
 */
export async function claimRows(
  crm: CrmConnection,
  claimToken: string,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await claimOnce(crm, claimToken, limit, leaseSeconds)
    } catch (error) {
      const deadlock = (error as { code?: unknown }).code === 'ER_LOCK_DEADLOCK'
      if (!deadlock || attempt >= CLAIM_ATTEMPTS) {
        throw error
      }
    }
  }
}

/** How often a claim that hit a deadlock is tried in all. */
const CLAIM_ATTEMPTS = 3

async function claimOnce(
  crm: CrmConnection,
  claimToken: string,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  await crm.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED')
  await crm.query('START TRANSACTION')
  try {
    const expired = await selectForClaim(crm, EXPIRED_ROWS, [limit])
    const left = limit - expired.length
    const pending = left > 0 ? await selectForClaim(crm, PENDING_ROWS, [left]) : []
    const seeds = [...expired, ...pending]
    const siblings = await selectSiblings(crm, seeds)
    const rows = [...seeds, ...siblings]

    if (rows.length > 0) {
      await crm.query(
        `UPDATE sync_queue
         SET status = 'claimed', claim_token = ?, attempts = attempts + 1,
             lease_until = NOW(3) + INTERVAL ? SECOND
         WHERE id IN (?)`,
        [claimToken, leaseSeconds, rows.map((row) => row.id)],
      )
    }
    await crm.query('COMMIT')

    return rows
  } catch (error) {
    await crm.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

const EXPIRED_ROWS = `
  SELECT id, entity_type, entity_id, version FROM sync_queue
  WHERE status IN ('claimed', 'queued') AND lease_until < NOW(3)
  ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED`

const PENDING_ROWS = `
  SELECT id, entity_type, entity_id, version FROM sync_queue
  WHERE status = 'pending'
  ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`

async function selectForClaim(
  crm: CrmConnection,
  sql: string,
  values: unknown[],
): Promise<OutboxRow[]> {
  const [rows] = await crm.query<RowDataPacket[]>(sql, values)
  return rows.map((row) => ({
    id: Number(row.id),
    entityType: row.entity_type,
    entityId: Number(row.entity_id),
    version: Number(row.version),
  }))
}

async function selectSiblings(
  crm: CrmConnection,
  seeds: readonly OutboxRow[],
): Promise<OutboxRow[]> {
  const claimed = new Set(seeds.map((row) => row.id))
  const siblings: OutboxRow[] = []

  for (const type of new Set(seeds.map((row) => row.entityType))) {
    const ids = [...new Set(seeds.filter((r) => r.entityType === type).map((r) => r.entityId))]
    const rows = await selectForClaim(
      crm,
      `SELECT id, entity_type, entity_id, version FROM sync_queue
       WHERE entity_type = ? AND entity_id IN (?) AND status = 'pending'
       FOR UPDATE SKIP LOCKED`,
      [type, ids],
    )
    siblings.push(...rows.filter((row) => !claimed.has(row.id)))
  }

  return siblings
}

/** Marks the rows of a claim as handed to the queue, with a lease long enough for retries. */
export async function markQueued(crm: CrmConnection, claimToken: string): Promise<number> {
  const [result] = await crm.query<ResultSetHeader>(
    `UPDATE sync_queue SET status = 'queued', lease_until = NOW(3) + INTERVAL ? SECOND
     WHERE claim_token = ? AND status = 'claimed'`,
    [QUEUED_LEASE_SECONDS, claimToken],
  )
  return result.affectedRows
}

/**
 * Marks every open row of the entity up to `version` processed: the state Red 360 now holds
 * includes all of those changes, whichever job they were claimed for.
 */
export async function markProcessed(
  crm: CrmConnection,
  type: EntityType,
  id: number,
  version: number,
): Promise<number> {
  const [result] = await crm.query<ResultSetHeader>(
    `UPDATE sync_queue
     SET status = 'processed', processed_at = NOW(3), claim_token = NULL, lease_until = NULL
     WHERE entity_type = ? AND entity_id = ? AND version <= ?
       AND status IN ('pending', 'claimed', 'queued', 'failed')`,
    [type, id, version],
  )
  return result.affectedRows
}

/** Marks the entity's open rows up to `version` failed, keeping the reason. */
export async function markFailed(
  crm: CrmConnection,
  type: EntityType,
  id: number,
  version: number,
  reason: string,
): Promise<number> {
  const [result] = await crm.query<ResultSetHeader>(
    `UPDATE sync_queue
     SET status = 'failed', failed_at = NOW(3), last_error = LEFT(?, 1000),
         claim_token = NULL, lease_until = NULL
     WHERE entity_type = ? AND entity_id = ? AND version <= ?
       AND status IN ('pending', 'claimed', 'queued')`,
    [reason, type, id, version],
  )
  return result.affectedRows
}
