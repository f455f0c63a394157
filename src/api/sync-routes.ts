/**
 * Sync on demand:
 * - `POST /sync/agency` `{ "agency_id" }`, `/sync/package` `{ "package_id" }`, `/sync/user`
 *   `{ "user_id" }`: 202 with the queued job; with `?wait=true` the sync runs in the request
 *   and the answer carries its outcome (200), Red 360's refusal (502), or, when the failure
 *   may pass, the job queued for the usual retries (202). 404 when the CRM lacks the entity.
 * - `POST /sync/bulk` and `GET /sync/bulk/{job_id}`: see bulk-routes.ts.
 * Each route needs the scope of its entity type (`sync:agencies`, `sync:packages`,
 * `sync:users`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { RowDataPacket } from 'mysql2/promise'
import type { AuthEnv } from '../auth/require-scope'
import { requireScope } from '../auth/require-scope'
import type { Scope } from '../auth/scopes'
import { withCrmConnection } from '../crm/connection'
import { errorResponse } from '../http/errors'
import { errorCode, log } from '../log'
import type { EntityType } from '../red360/contract'
import { crmTables } from '../red360/transform/index'
import { recordFailure } from '../sync/failures'
import { newSyncJob, type SyncJob } from '../sync/job'
import { createSyncContext, runSyncJob } from '../sync/run-job'
import {
  addRoute,
  apiRouter,
  authErrorResponses,
  bearerSecurity,
  errorSchema,
  jsonResponse,
} from './openapi-app'

/** What a Retry-After tells a client when the CRM or the queue did not answer. */
const RETRY_AFTER_SECONDS = 30

const jobSchema = z
  .object({
    job_id: z.uuid(),
    entity_type: z.enum(['agency', 'package', 'user']),
    entity_id: z.number().int(),
  })
  .openapi('SyncJob')

const queuedSchema = z
  .object({
    status: z.literal('queued'),
    job: jobSchema,
    retry_reason: z.string().optional(),
  })
  .openapi('SyncQueued')

const syncedSchema = z
  .object({
    status: z.literal('synced'),
    job: jobSchema,
    outcome: z.enum(['pushed', 'deleted', 'skipped']),
    version: z.number().int().nullable(),
    http_status: z.number().int().nullable(),
    reason: z.string().optional(),
  })
  .openapi('SyncResult')

/** Scope and body field of each entity type. */
const entities = {
  agency: { field: 'agency_id', scope: 'sync:agencies' },
  package: { field: 'package_id', scope: 'sync:packages' },
  user: { field: 'user_id', scope: 'sync:users' },
} as const satisfies Record<EntityType, { field: string; scope: Scope }>

/** The routes syncing one entity on demand. */
export const syncRoutes = apiRouter()

for (const [type, { field, scope }] of Object.entries(entities) as [
  EntityType,
  (typeof entities)[EntityType],
][]) {
  const route = createRoute({
    method: 'post',
    path: `/sync/${type}`,
    summary: `Sync one ${type} now`,
    security: bearerSecurity,
    middleware: [requireScope(scope)] as const,
    request: {
      query: z.object({ wait: z.enum(['true', 'false']).optional() }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({ [field]: z.number().int().positive() }),
          },
        },
      },
    },
    responses: {
      200: jsonResponse(syncedSchema, 'With wait=true: the sync ran and Red 360 holds the state'),
      202: jsonResponse(queuedSchema, 'The job is queued'),
      404: jsonResponse(errorSchema, `No such ${type} in the CRM`),
      422: jsonResponse(errorSchema, 'Invalid body; with wait=true, a CRM row that does not map'),
      502: jsonResponse(errorSchema, 'With wait=true: Red 360 refused the write for good'),
      503: jsonResponse(errorSchema, 'The CRM or the queue did not answer; retry later'),
      ...authErrorResponses,
    },
  })

  addRoute(syncRoutes, route, async (c) => {
    const body = c.req.valid('json') as Record<string, number>
    const id = body[field] ?? 0
    const wait = c.req.valid('query').wait === 'true'
    return syncOne(c, type, id, wait)
  })
}

async function syncOne(c: Context<AuthEnv>, type: EntityType, id: number, wait: boolean) {
  let exists: boolean
  try {
    exists = await existsInCrm(c.env, type, id)
  } catch (error) {
    return unavailable(c, 'crm', error)
  }
  if (!exists) {
    return errorResponse(c, 404, 'not_found', `The CRM has no ${type} ${id}.`)
  }

  const job = newSyncJob(type, id, 'api')
  if (wait) {
    return runNow(c, job)
  }

  try {
    await c.env.SYNC_JOBS.send(job, { contentType: 'json' })
  } catch (error) {
    return unavailable(c, 'queue', error)
  }
  return c.json({ status: 'queued' as const, job: jobView(job) }, 202)
}

async function runNow(c: Context<AuthEnv>, job: SyncJob) {
  const outcome = await runSyncJob(job, createSyncContext(c.env)).catch(
    (error: unknown) => ({ outcome: 'retry', code: errorCode(error) }) as const,
  )
  log('info', `sync.${outcome.outcome}`, { job_id: job.job_id, source: 'api', wait: true })

  if (outcome.outcome === 'failed') {
    const failure = { job, attempts: 1, lastError: outcome.code, version: outcome.version }
    await recordFailure(c.env, failure).catch(() => undefined)
    if (outcome.httpStatus === null) {
      const message = 'The CRM row cannot be turned into a Red 360 representation.'
      return errorResponse(c, 422, 'malformed_crm_row', message, { code: outcome.code })
    }
    return errorResponse(c, 502, 'sync_failed', 'Red 360 refused the write.', {
      code: outcome.code,
      http_status: outcome.httpStatus,
    })
  }

  if (outcome.outcome === 'retry') {
    try {
      await c.env.SYNC_JOBS.send(job, { contentType: 'json' })
    } catch (error) {
      return unavailable(c, 'queue', error)
    }
    const queued = { status: 'queued' as const, job: jobView(job), retry_reason: outcome.code }
    return c.json(queued, 202)
  }

  return c.json(
    {
      status: 'synced' as const,
      job: jobView(job),
      outcome: outcome.outcome,
      version: outcome.version,
      http_status: outcome.httpStatus,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    },
    200,
  )
}

/** Whether the CRM has the entity. */
export async function existsInCrm(env: Env, type: EntityType, id: number): Promise<boolean> {
  return withCrmConnection(env.CRM_DB, async (crm) => {
    const [rows] = await crm.query<RowDataPacket[]>(
      `SELECT 1 FROM \`${crmTables[type]}\` WHERE id = ? LIMIT 1`,
      [id],
    )
    return rows.length > 0
  })
}

/** The 503 answer when a dependency did not answer. */
export function unavailable(c: Context, dependency: string, error: unknown) {
  log('error', 'api.unavailable', { path: c.req.path, dependency, error: errorCode(error) })
  c.header('Retry-After', String(RETRY_AFTER_SECONDS))
  return errorResponse(c, 503, 'unavailable', `The ${dependency} did not answer; retry later.`)
}

function jobView(job: SyncJob) {
  return { job_id: job.job_id, entity_type: job.entity_type, entity_id: job.entity_id }
}
