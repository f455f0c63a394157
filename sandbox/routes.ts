/**
 * The /v1 ingest routes. Each is declared with the contract's zod schemas, which both validate
 * the requests and make the OpenAPI document, so the document cannot describe another API.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import {
  type EntityType,
  type ErrorAnswer,
  entityPaths,
  entityTypes,
  errorAnswer,
  notificationBody,
  upsertBodies,
  version,
  writeAccepted,
} from '../src/red360/contract.ts'
import { errorBody } from './answers.ts'
import type { SandboxEnv } from './env.ts'
import type { SandboxState } from './state.ts'

/** The name of the bearer-token security scheme in the OpenAPI document. */
export const securityScheme = 'red360Token'

const upsertSchemas = {
  agency: upsertBodies.agency.openapi('AgencyUpsert'),
  package: upsertBodies.package.openapi('PackageUpsert'),
  user: upsertBodies.user.openapi('UserUpsert'),
} as const

const accepted = writeAccepted.openapi('WriteAccepted')
const errorSchema = errorAnswer.openapi('ErrorAnswer')
const notificationSchema = notificationBody.openapi('Notification')
const notificationAccepted = z
  .object({ status: z.literal('accepted') })
  .openapi('NotificationAccepted')

const entityId = z
  .string()
  .regex(/^[1-9]\d*$/, 'Must be a positive integer.')
  .transform(Number)
  .pipe(z.number().int().positive())
  .openapi({ description: 'The entity id in the CRM.' })

const versionQuery = z
  .string()
  .regex(/^\d+$/, 'Must be a non-negative integer.')
  .transform(Number)
  .pipe(version)
  .openapi({ description: 'The CRM version of the delete; the tombstone keeps it.' })

// Lower case because Hono hands the validator header names that way; HTTP ignores the case.
const writeHeaders = z.object({
  'idempotency-key': z.string().min(1).openapi({
    description: 'Unique per logical write; a repeat with the same request replays the answer.',
  }),
})

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer' as const, minimum: 0 },
  },
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: errorSchema } } }
}

const writeErrors = {
  401: errorResponse('`invalid_token`: the bearer token is missing or does not verify.'),
  409: errorResponse(
    '`version_conflict` with `current_version`, or `idempotency_key_in_use` while the first ' +
      'request under the key is still being handled.',
  ),
  422: errorResponse(
    '`validation_failed` with `issues`, or `idempotency_key_reused`: the request can never ' +
      'succeed as sent.',
  ),
  429: { ...errorResponse('Too many requests.'), headers: retryAfter },
  503: { ...errorResponse('Temporarily unavailable.'), headers: retryAfter },
}

const bodyErrors = {
  400: errorResponse('`invalid_json`, or `idempotency_key_required` without the header.'),
  415: errorResponse('`unsupported_media_type`: the body is not sent as application/json.'),
}

function putRoute(type: EntityType) {
  return createRoute({
    method: 'put',
    path: `/v1/${entityPaths[type]}/{id}`,
    summary: `Create or update a ${type}`,
    security: [{ [securityScheme]: [] }],
    request: {
      params: z.object({ id: entityId }),
      headers: writeHeaders,
      body: { required: true, content: { 'application/json': { schema: upsertSchemas[type] } } },
    },
    responses: {
      200: jsonResponse('`updated`, or `unchanged` for a repeat of the stored version.'),
      201: jsonResponse('`created`.'),
      ...writeErrors,
      ...bodyErrors,
      424: errorResponse('`parent_missing`: the agency named by `agency_id` is not held.'),
    },
  })
}

function deleteRoute(type: EntityType) {
  return createRoute({
    method: 'delete',
    path: `/v1/${entityPaths[type]}/{id}`,
    summary: `Delete a ${type}, keeping a tombstone at the given version`,
    security: [{ [securityScheme]: [] }],
    request: {
      params: z.object({ id: entityId }),
      query: z.object({ version: versionQuery }),
      headers: writeHeaders,
    },
    responses: {
      200: jsonResponse('`deleted`.'),
      400: errorResponse('`idempotency_key_required`: the header is missing.'),
      404: errorResponse('`not_found`: the id was never stored.'),
      ...writeErrors,
    },
  })
}

const notifyRoute = createRoute({
  method: 'post',
  path: '/v1/notifications',
  summary: "Tell an agency's followers about a package",
  security: [{ [securityScheme]: [] }],
  request: {
    headers: writeHeaders,
    body: { required: true, content: { 'application/json': { schema: notificationSchema } } },
  },
  responses: {
    202: {
      description: 'Accepted for delivery.',
      content: { 'application/json': { schema: notificationAccepted } },
    },
    ...writeErrors,
    ...bodyErrors,
  },
})

function versionConflict(currentVersion: number): ErrorAnswer {
  return errorBody('version_conflict', `Red 360 holds version ${currentVersion}.`, {
    current_version: currentVersion,
  })
}

function jsonResponse(description: string) {
  return { description, content: { 'application/json': { schema: accepted } } }
}

/** Adds the /v1 routes to `app`, working on `state`. */
export function registerIngestRoutes(app: OpenAPIHono<SandboxEnv>, state: SandboxState): void {
  app.openAPIRegistry.registerComponent('securitySchemes', securityScheme, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'ES256 JWT, issuer `red360-sync`, audience `red360-ingest`, with `exp`.',
  })

  for (const type of entityTypes) {
    app.openapi(putRoute(type), (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      if (body.id !== id) {
        const issues = [{ path: 'id', message: `Must equal the id in the path (${id}).` }]
        return c.json(
          errorBody('validation_failed', 'The body is for another entity.', { issues }),
          422,
        )
      }

      const outcome = state.entities.put(type, body)
      switch (outcome.status) {
        case 'version_conflict':
          return c.json(versionConflict(outcome.currentVersion), 409)
        case 'parent_missing':
          return c.json(
            errorBody('parent_missing', `Agency ${outcome.agencyId} is not held.`, {
              parent: { type: 'agency', id: outcome.agencyId },
            }),
            424,
          )
        default:
          return c.json(
            { id, version: outcome.record.version, status: outcome.status },
            outcome.status === 'created' ? 201 : 200,
          )
      }
    })

    app.openapi(deleteRoute(type), (c) => {
      const { id } = c.req.valid('param')
      const outcome = state.entities.delete(type, id, c.req.valid('query').version)
      switch (outcome.status) {
        case 'not_found':
          return c.json(errorBody('not_found', `No ${type} ${id} was ever stored.`), 404)
        case 'version_conflict':
          return c.json(versionConflict(outcome.currentVersion), 409)
        case 'deleted':
          return c.json({ id, version: outcome.record.version, status: 'deleted' as const }, 200)
      }
    })
  }

  app.openapi(notifyRoute, (c) => {
    state.notifications.push(c.req.valid('json'))
    return c.json({ status: 'accepted' as const }, 202)
  })
}
