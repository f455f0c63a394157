/**
 * The catalog read API for Red 360's web and mobile apps, mounted under `/api`:
 * `GET /agencies/{id}` and `GET /packages/{id}` answer the Red 360 representation, to tokens
 * with the scope `read:catalog`. Users are never served: they carry personal data.
 *
 * Answers come from ENTITY_CACHE, or from the CRM when KV misses (see `readThrough`);
 * `X-Cache: hit|miss` says which, for operators. Choices a client can rely on:
 *
 * - **ETag**: strong, the first 32 hex digits of the SHA-256 of the body bytes, so equal
 *   content gives equal tags whichever source answered. `If-None-Match` is compared weakly,
 *   as RFC 9110 §13.1.2 requires; a match, `*` included, answers 304 without a body.
 * - **Cache-Control** on 200 and 304: `public, max-age=60, stale-while-revalidate=300`. KV
 *   reads are themselves cached up to 60 s at each location, so a client's minute does not
 *   change how stale the catalog can look, and revalidating costs a 304. There is no
 *   `Vary: Authorization`: the body is the same for every token, and it is what Red 360 shows
 *   publicly; the token protects the origin (CRM reads) rather than the data. `public` is what
 *   lets a shared cache store an answer to a request with `Authorization` at all (RFC 9111
 *   §3.5). The price: a shared cache may serve a copy, for up to six minutes, to a client
 *   without a valid token. Should a non-public field ever join these representations, the
 *   answers must become `private`.
 * - **404** `not_found` with `Cache-Control: no-store`: an id unknown now can exist a second
 *   later (a package is announced to followers right after its sync), and a cached 404 would
 *   hide it. Repeating it costs one primary-key read in the CRM, and only token holders can.
 *   A deleted entity answers 404 too: the sync evicts it from KV and the CRM lacks its row.
 * - A CRM row that cannot become a representation answers **404** as well, and is logged as
 *   `catalog.row_malformed`. The sync refuses the same row, so Red 360 does not hold that
 *   content either; a 5xx would invite retries that cannot succeed until someone fixes the row
 *   in the CRM, which then syncs it into KV. Operators see it in the log and in failed jobs.
 * - **503** `unavailable` with `Retry-After` and `no-store` when KV misses and the CRM cannot
 *   be read.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { type AuthEnv, requireScope } from '../auth/require-scope'
import type { CachedEntityType } from '../cache/keys'
import {
  type CatalogRepresentation,
  CrmUnavailableError,
  type ReadThroughResult,
  readThrough,
} from '../cache/read-through'
import { errorResponse } from '../http/errors'
import { errorCode, log } from '../log'
import { agencyRepresentation, packageRepresentation } from '../red360/contract'
import { apiRouter, authErrorResponses, bearerSecurity, errorSchema } from './openapi-app'

/** `Cache-Control` of a representation (200) and of its revalidation (304). */
export const CATALOG_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'

/** What a client is told to wait, in seconds, when the CRM cannot be read. */
export const CATALOG_RETRY_AFTER_SECONDS = 30

/** Hex digits of the SHA-256 kept in an ETag: 128 bits, far beyond any collision concern. */
const etagDigestLength = 32

const agencySchema = agencyRepresentation.openapi('Agency')
const packageSchema = packageRepresentation.openapi('Package')

const idParam = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]*$/, 'expected a positive whole number')
    .transform(Number)
    .pipe(z.number().int().positive())
    .openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      minimum: 1,
      example: 42,
    }),
})

const xCache = {
  description: '`hit` when KV answered, `miss` when the CRM was read',
  schema: { type: 'string' as const, enum: ['hit', 'miss'] },
}

const cacheHeaders = {
  ETag: { description: 'Strong tag of the body', schema: { type: 'string' as const } },
  'Cache-Control': { description: CATALOG_CACHE_CONTROL, schema: { type: 'string' as const } },
  'X-Cache': xCache,
}

const noStoreHeaders = {
  'Cache-Control': { description: '`no-store`', schema: { type: 'string' as const } },
  'X-Cache': xCache,
}

function catalogRoute<S extends z.ZodType>(path: string, noun: string, schema: S) {
  return createRoute({
    method: 'get',
    path,
    tags: ['Catalog'],
    summary: `The ${noun} as Red 360 shows it`,
    security: bearerSecurity,
    middleware: [requireScope('read:catalog')] as const,
    request: { params: idParam },
    responses: {
      200: {
        description: `The ${noun}`,
        headers: cacheHeaders,
        content: { 'application/json': { schema } },
      },
      304: { description: 'Unchanged since the ETag in `If-None-Match`', headers: cacheHeaders },
      ...authErrorResponses,
      404: {
        description: `No such ${noun} (never created, deleted, or unreadable in the CRM)`,
        headers: noStoreHeaders,
        content: { 'application/json': { schema: errorSchema } },
      },
      422: {
        description: 'The id is not a positive whole number (`validation_failed`)',
        content: { 'application/json': { schema: errorSchema } },
      },
      503: {
        description: 'Not in KV and the CRM cannot be read (`unavailable`)',
        headers: {
          ...noStoreHeaders,
          'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' as const } },
        },
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  })
}

const agencyRoute = catalogRoute('/agencies/{id}', 'agency', agencySchema)
const packageRoute = catalogRoute('/packages/{id}', 'package', packageSchema)

/** The catalog routes (`read:catalog`), to mount under `/api`. */
export const catalogRoutes = apiRouter()

catalogRoutes.openapi(agencyRoute, (c) => answerEntity(c, 'agency', c.req.valid('param').id))
catalogRoutes.openapi(packageRoute, (c) => answerEntity(c, 'package', c.req.valid('param').id))

/** What a request found: a read-through result, or a CRM that could not be read. */
type Lookup = ReadThroughResult | { outcome: 'unavailable'; error: CrmUnavailableError }

async function answerEntity(
  c: Context<AuthEnv>,
  type: CachedEntityType,
  id: number,
): Promise<Response> {
  const started = Date.now()
  const found: Lookup = await readThrough(
    { kv: c.env.ENTITY_CACHE, crm: c.env.CRM_DB },
    type,
    id,
  ).catch((error: unknown) => {
    if (error instanceof CrmUnavailableError) {
      return { outcome: 'unavailable', error } as const
    }
    throw error
  })

  c.header('X-Cache', found.outcome === 'hit' ? 'hit' : 'miss')
  if (found.outcome === 'hit') {
    return representationResponse(c, found.representation)
  }

  logMiss(type, id, found, Date.now() - started)
  if (found.outcome === 'miss') {
    return representationResponse(c, found.representation)
  }

  c.header('Cache-Control', 'no-store')
  if (found.outcome === 'unavailable') {
    c.header('Retry-After', String(CATALOG_RETRY_AFTER_SECONDS))
    return errorResponse(c, 503, 'unavailable', 'The catalog cannot be read now; try again later.')
  }

  return errorResponse(c, 404, 'not_found', `No ${type} with id ${id}.`)
}

/** One line per KV miss: operators follow the CRM reads the cache did not spare. */
function logMiss(
  type: CachedEntityType,
  id: number,
  found: Exclude<Lookup, { outcome: 'hit' }>,
  duration_ms: number,
): void {
  const fields = { entity: type, id, outcome: found.outcome, duration_ms }
  if (found.outcome === 'unavailable') {
    log('error', 'catalog.unavailable', { ...fields, error: errorCode(found.error.cause) })
  } else if (found.outcome === 'malformed') {
    const columns = found.error.issues.map((issue) => issue.path)
    log('error', 'catalog.row_malformed', { ...fields, columns })
  } else {
    log('info', 'catalog.missed', fields)
  }
}

/** 200 with the representation, or 304 when `If-None-Match` already names its ETag. */
async function representationResponse(
  c: Context<AuthEnv>,
  representation: CatalogRepresentation,
): Promise<Response> {
  const body = JSON.stringify(representation)
  const etag = await strongEtag(body)
  c.header('ETag', etag)
  c.header('Cache-Control', CATALOG_CACHE_CONTROL)

  if (noneMatchHolds(c.req.header('if-none-match'), etag)) {
    return c.body(null, 304)
  }

  return c.body(body, 200, { 'Content-Type': 'application/json' })
}

async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body))
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0'))
  return `"${hex.join('').slice(0, etagDigestLength)}"`
}

/** An entity-tag as RFC 9110 §8.8.3 writes it; its opaque part may hold commas. */
const entityTag = /(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g

/**
 * Whether `If-None-Match` matches `etag`: `*`, or any listed tag whose opaque part equals the
 * tag's, `W/` ignored (weak comparison, RFC 9110 §13.1.2).
 */
function noneMatchHolds(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false
  }
  if (header.trim() === '*') {
    return true
  }

  return Array.from(header.matchAll(entityTag), (match) => match[1]).includes(etag)
}
