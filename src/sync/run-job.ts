/**
 * Runs one sync job: reads the entity's current CRM state, and brings Red 360 to it.
 *
 * 1. Read the row and its version in one statement (a missing row means a delete).
 * 2. Transform it (zod-checked) and hash the content.
 * 3. Skip when D1 says Red 360 already holds this content, or a newer version.
 * 4. Otherwise write to Red 360 with the version; on acceptance record the state in D1,
 *    refresh KV, notify followers of a package change, then mark the entity's outbox rows up
 *    to that version processed and stamp `synced_at` in the CRM.
 *
 * A package or user whose agency Red 360 lacks is answered with 424: the agency is synced in
 * the same run and the write tried once more.
 */
import { cacheRepresentation, evictRepresentation } from '../cache/entity-cache'
import { loadConfig } from '../config'
import { type CrmConnection, withCrmConnection } from '../crm/connection'
import { type EntitySnapshot, readEntity, stampSyncedAt } from '../crm/entities'
import { markProcessed } from '../outbox/rows'
import { Red360Client, type Red360Result } from '../red360/client'
import type { EntityType, PackageRepresentation, Representation } from '../red360/contract'
import { MalformedCrmRowError } from '../red360/transform/errors'
import { toRepresentation } from '../red360/transform/index'
import { bodyHash, contentHash } from './content-hash'
import type { SyncJob } from './job'
import { pendingNotification } from './notify'
import type { JobOutcome } from './outcome'
import { readSyncState, type SyncStateRow, saveSyncState } from './state'

/** What a job needs besides itself. */
export interface SyncContext {
  env: Env
  client: Red360Client
}

/** The context of jobs run with `env`'s configuration. */
export function createSyncContext(env: Env): SyncContext {
  const config = loadConfig(env)
  const client = new Red360Client({
    baseUrl: config.red360ApiUrl,
    signingKey: config.red360SigningKey,
    timeoutMs: config.red360TimeoutMs,
  })

  return { env, client }
}

/** Runs `job` against the CRM and Red 360. Unexpected failures (CRM down) throw. */
export function runSyncJob(job: SyncJob, context: SyncContext): Promise<JobOutcome> {
  return withCrmConnection(context.env.CRM_DB, (crm) =>
    syncEntity(crm, job.entity_type, job.entity_id, context, normalRun),
  )
}

/** How one entity is synced. */
interface SyncMode {
  /** Sync the parent agency and try again when Red 360 answers 424. */
  mayFetchParent: boolean
  /**
   * Write even when D1 says Red 360 holds this content: a 424 naming the agency proves that
   * Red 360 lacks it, whatever D1 remembers (Red 360 lost data, a sandbox restarted).
   */
  force: boolean
}

const normalRun: SyncMode = { mayFetchParent: true, force: false }

async function syncEntity(
  crm: CrmConnection,
  type: EntityType,
  id: number,
  context: SyncContext,
  mode: SyncMode,
): Promise<JobOutcome> {
  const snapshot = await readEntity(crm, type, id)
  const state = await readSyncState(context.env.SYNC_DB, type, id)

  if (snapshot.row === null) {
    return deleteEntity(crm, type, id, snapshot, state, context)
  }

  let representation: Representation
  try {
    representation = toRepresentation(type, snapshot.row)
  } catch (error) {
    if (error instanceof MalformedCrmRowError) {
      return { outcome: 'failed', version: snapshot.version, httpStatus: null, code: error.code }
    }
    throw error
  }

  const hash = await contentHash(representation)
  const { version } = snapshot
  if (!mode.force && state !== null && state.version > version) {
    return settle(crm, type, id, snapshot, 'skipped', null, 'red360_newer')
  }
  // Only a repeat of the version D1 recorded is skipped: a later version with equal content
  // (a change reverted) is written, since a write whose answer was lost may have left other
  // content in Red 360 than D1 remembers.
  const repeat = state !== null && !state.deleted && state.version >= version
  if (!mode.force && repeat && state.contentHash === hash) {
    return afterAcceptance(crm, type, representation, snapshot, state, context, null, 'unchanged')
  }

  const body = await bodyHash(representation, version)
  const key = `${type}:${id}:v${version}:${body.slice(0, 16)}`
  const result = await context.client.putEntity(type, representation, version, key)

  if (result.kind === 'accepted') {
    const saved = { ...baseState(type, id, state), version, contentHash: hash, deleted: false }
    await saveSyncState(context.env.SYNC_DB, saved)
    return afterAcceptance(crm, type, representation, snapshot, saved, context, result.status)
  }
  if (result.kind === 'stale') {
    return settle(crm, type, id, snapshot, 'skipped', result.status, 'red360_newer')
  }
  if (result.kind === 'parent_missing' && mode.mayFetchParent) {
    const parentMode = { mayFetchParent: false, force: true }
    const parent = await syncEntity(crm, 'agency', result.parentId, context, parentMode)
    if (parent.outcome === 'pushed' || parent.outcome === 'skipped') {
      return syncEntity(crm, type, id, context, { mayFetchParent: false, force: false })
    }
  }

  return unsuccessful(result, version)
}

async function deleteEntity(
  crm: CrmConnection,
  type: EntityType,
  id: number,
  snapshot: EntitySnapshot,
  state: SyncStateRow | null,
  context: SyncContext,
): Promise<JobOutcome> {
  if (state?.deleted && state.version >= snapshot.version) {
    return settle(crm, type, id, snapshot, 'skipped', null, 'already_deleted')
  }

  const key = `${type}:${id}:delete:v${snapshot.version}`
  const result = await context.client.deleteEntity(type, id, snapshot.version, key)
  if (result.kind !== 'accepted' && result.kind !== 'absent' && result.kind !== 'stale') {
    return unsuccessful(result, snapshot.version)
  }

  await saveSyncState(context.env.SYNC_DB, {
    ...baseState(type, id, state),
    version: snapshot.version,
    contentHash: null,
    deleted: true,
  })
  await evictRepresentation(context.env.ENTITY_CACHE, type, id)
  return settle(crm, type, id, snapshot, 'deleted', result.status)
}

async function afterAcceptance(
  crm: CrmConnection,
  type: EntityType,
  representation: Representation,
  snapshot: EntitySnapshot,
  state: SyncStateRow,
  context: SyncContext,
  httpStatus: number | null,
  reason?: 'unchanged',
): Promise<JobOutcome> {
  if (reason === undefined) {
    await cacheRepresentation(context.env.ENTITY_CACHE, type, representation)
  }

  if (type === 'package') {
    const failure = await notifyFollowers(
      representation as PackageRepresentation,
      snapshot.version,
      state,
      context,
    )
    if (failure !== null) {
      return failure
    }
  }

  const outcome = reason === undefined ? 'pushed' : 'skipped'
  return settle(crm, type, representation.id, snapshot, outcome, httpStatus, reason)
}

async function notifyFollowers(
  representation: PackageRepresentation,
  version: number,
  state: SyncStateRow,
  context: SyncContext,
): Promise<JobOutcome | null> {
  const pending = await pendingNotification(representation, version, state.notifyDigest)
  if (pending === null) {
    return null
  }

  const result = await pending.send(context.client)
  if (result.kind !== 'accepted') {
    return unsuccessful(result, version)
  }

  await saveSyncState(context.env.SYNC_DB, { ...state, notifyDigest: pending.digest })
  return null
}

async function settle(
  crm: CrmConnection,
  type: EntityType,
  id: number,
  snapshot: EntitySnapshot,
  outcome: 'pushed' | 'deleted' | 'skipped',
  httpStatus: number | null,
  reason?: 'unchanged' | 'red360_newer' | 'already_deleted',
): Promise<JobOutcome> {
  await markProcessed(crm, type, id, snapshot.version)
  if (snapshot.row !== null) {
    await stampSyncedAt(crm, type, id)
  }

  return {
    outcome,
    version: snapshot.version,
    httpStatus,
    ...(reason === undefined ? {} : { reason }),
  }
}

function baseState(type: EntityType, id: number, state: SyncStateRow | null): SyncStateRow {
  return {
    entityType: type,
    entityId: id,
    version: state?.version ?? 0,
    contentHash: state?.contentHash ?? null,
    deleted: state?.deleted ?? false,
    notifyDigest: state?.notifyDigest ?? null,
    syncedAt: Date.now(),
  }
}

function unsuccessful(result: Red360Result, version: number): JobOutcome {
  if (result.kind === 'rejected') {
    return { outcome: 'failed', version, httpStatus: result.status, code: result.code }
  }
  if (result.kind === 'retryable') {
    const after = result.retryAfterSeconds
    return {
      outcome: 'retry',
      version,
      httpStatus: result.status,
      code: result.code,
      ...(after === undefined ? {} : { retryAfterSeconds: after }),
    }
  }

  return { outcome: 'retry', version, httpStatus: result.status, code: result.kind }
}
