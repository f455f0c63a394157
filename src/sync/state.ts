/**
 * The worker's record in D1 of what Red 360 holds (`sync_state`) and of every attempt
 * (`sync_attempts`). Decisions read D1, never KV: KV is eventually consistent.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { chunkForD1 } from '../db/chunk'
import { syncAttempts, syncState } from '../db/schema'
import type { EntityType } from '../red360/contract'

/** What D1 knows Red 360 holds for one entity. */
export type SyncStateRow = typeof syncState.$inferSelect

/** One attempt, as recorded. */
export type AttemptRow = typeof syncAttempts.$inferInsert

/** The most parameters one attempt row can bind: one per column. */
export const ATTEMPT_PARAMETERS = Object.keys(getTableColumns(syncAttempts)).length

/** Reads the entity's sync state, or null when it was never synced. */
export async function readSyncState(
  db: D1Database,
  type: EntityType,
  id: number,
): Promise<SyncStateRow | null> {
  const rows = await drizzle(db)
    .select()
    .from(syncState)
    .where(and(eq(syncState.entityType, type), eq(syncState.entityId, id)))
    .limit(1)

  return rows[0] ?? null
}

/**
 * Records that Red 360 accepted `state`. A write older than the stored version is ignored,
 * so two jobs for one entity finishing out of order leave the newer state.
 */
export async function saveSyncState(db: D1Database, state: SyncStateRow): Promise<void> {
  const { entityType: _type, entityId: _id, ...changes } = state

  await drizzle(db)
    .insert(syncState)
    .values(state)
    .onConflictDoUpdate({
      target: [syncState.entityType, syncState.entityId],
      set: changes,
      setWhere: sql`excluded.version >= ${syncState.version}`,
    })
}

/** Writes attempts in as few statements as D1's parameter limit allows. */
export async function recordAttempts(
  db: D1Database,
  attempts: readonly AttemptRow[],
): Promise<void> {
  if (attempts.length === 0) {
    return
  }

  const orm = drizzle(db)
  const statements = chunkForD1(attempts, ATTEMPT_PARAMETERS).map((chunk) =>
    orm.insert(syncAttempts).values(chunk),
  )
  const [first, ...rest] = statements
  if (first !== undefined) {
    await orm.batch([first, ...rest])
  }
}
