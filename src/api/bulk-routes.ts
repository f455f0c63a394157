/**
 * Bulk syncs and backfills:
 * - `POST /sync/bulk` `{ "type": "agencies" | "packages" | "users", "ids": [ … ] }` (1 to
 *   1,000 positive integers) or `{ "type", "all": true }` for a backfill of the whole table:
 *   202 with the `job_id`.
 * - `GET /sync/bulk/{job_id}`: total, queued, succeeded, skipped, failed (ids the CRM lacks
 *   included, also counted in `not_found`), and whether it is finished.
 * Both need the sync scope of the type (`sync:agencies` for agencies, and so on).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { type AuthEnv, forbidden, requireToken } from '../auth/require-scope'
import type { Scope } from '../auth/scopes'
import { errorResponse } from '../http/errors'
import { errorCode, log } from '../log'
import type { EntityType } from '../red360/contract'
import {
  advanceBackfill,
  type BulkJobRow,
  isFinished,
  readBulkJob,
  startBackfill,
  startBulkIds,
} from '../sync/bulk'
import {
  addRoute,
  apiRouter,
  authErrorResponses,
  bearerSecurity,
  errorSchema,
  jsonResponse,
} from './openapi-app'
import { unavailable } from './sync-routes'

/** How long a request keeps paging a new backfill after answering; the cron does the rest. */
export const BACKFILL_REQUEST_BUDGET_MS = 20_000

/** The most ids one explicit bulk sync takes. */
export const MAX_BULK_IDS = 1_000

const bulkTypes = {
  agencies: { entity: 'agency', scope: 'sync:agencies' },
  packages: { entity: 'package', scope: 'sync:packages' },
  users: { entity: 'user', scope: 'sync:users' },
} as const satisfies Record<string, { entity: EntityType; scope: Scope }>

type BulkType = keyof typeof bulkTypes

const bulkType = z.enum(['agencies', 'packages', 'users'])

const bulkRequest = z
  .union([
    z.strictObject({
      type: bulkType,
      ids: z.array(z.number().int().positive()).min(1).max(MAX_BULK_IDS),
    }),
    z.strictObject({ type: bulkType, all: z.literal(true) }),
  ])
  .openapi('BulkSyncRequest')

const bulkStatus = z
  .object({
    job_id: z.uuid(),
    type: bulkType,
    mode: z.enum(['ids', 'all']),
    total: z.number().int(),
    queued: z.number().int(),
    succeeded: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    not_found: z.number().int(),
    finished: z.boolean(),
    created_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
  })
  .openapi('BulkSyncStatus')

/** The bulk routes. */
export const bulkRoutes = apiRouter()

const startRoute = createRoute({
  method: 'post',
  path: '/sync/bulk',
  summary: 'Sync many entities, or backfill a whole table',
  security: bearerSecurity,
  middleware: [requireToken()] as const,
  request: { body: { required: true, content: { 'application/json': { schema: bulkRequest } } } },
  responses: {
    202: jsonResponse(z.object({ job_id: z.uuid(), status: z.literal('accepted') }), 'Started'),
    422: jsonResponse(errorSchema, 'Invalid body'),
    503: jsonResponse(errorSchema, 'The CRM, D1 or the queue did not answer; retry later'),
    ...authErrorResponses,
  },
})

addRoute(bulkRoutes, startRoute, async (c) => {
  const body = c.req.valid('json')
  const { entity, scope } = bulkTypes[body.type]
  if (!c.get('token').scopes.has(scope)) {
    return forbidden(c, scope)
  }

  try {
    const id =
      'ids' in body ? await startBulkIds(c.env, entity, body.ids) : await startAll(c, entity)
    log('info', 'bulk.started', { bulk_id: id, entity, mode: 'ids' in body ? 'ids' : 'all' })
    return c.json({ job_id: id, status: 'accepted' as const }, 202)
  } catch (error) {
    return unavailable(c, 'CRM, D1 or queue', error)
  }
})

async function startAll(c: Context<AuthEnv>, entity: EntityType): Promise<string> {
  const id = await startBackfill(c.env, entity)
  c.executionCtx.waitUntil(
    advanceBackfill(c.env, id, BACKFILL_REQUEST_BUDGET_MS).catch((error: unknown) =>
      log('warn', 'bulk.advance_failed', { bulk_id: id, error: errorCode(error) }),
    ),
  )
  return id
}

const statusRoute = createRoute({
  method: 'get',
  path: '/sync/bulk/{job_id}',
  summary: 'Progress of a bulk sync',
  security: bearerSecurity,
  middleware: [requireToken()] as const,
  request: { params: z.object({ job_id: z.uuid() }) },
  responses: {
    200: jsonResponse(bulkStatus, 'Progress'),
    404: jsonResponse(errorSchema, 'No such bulk sync'),
    ...authErrorResponses,
  },
})

addRoute(bulkRoutes, statusRoute, async (c) => {
  const job = await readBulkJob(c.env.SYNC_DB, c.req.valid('param').job_id)
  const type = job === null ? undefined : typeOf(job.entityType)
  if (job === null || type === undefined) {
    return errorResponse(c, 404, 'not_found', 'No such bulk sync.')
  }

  const { scope } = bulkTypes[type]
  if (!c.get('token').scopes.has(scope)) {
    return forbidden(c, scope)
  }
  return c.json(statusView(job, type), 200)
})

function typeOf(entity: string): BulkType | undefined {
  const entries = Object.entries(bulkTypes) as [BulkType, (typeof bulkTypes)[BulkType]][]
  return entries.find(([, value]) => value.entity === entity)?.[0]
}

function statusView(job: BulkJobRow, type: BulkType): z.infer<typeof bulkStatus> {
  return {
    job_id: job.id,
    type,
    mode: job.mode === 'all' ? 'all' : 'ids',
    total: job.total,
    queued: job.queued,
    succeeded: job.succeeded,
    skipped: job.skipped,
    failed: job.failed,
    not_found: job.notFound,
    finished: isFinished(job),
    created_at: new Date(job.createdAt).toISOString(),
    finished_at: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
  }
}
