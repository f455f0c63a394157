/**
 * OpenAPI descriptions of the routes that are not OpenAPIHono routes: health, the JWKS and
 * the webhooks, whose bodies are verified as raw bytes before any schema runs. They are
 * described from the same zod schemas their handlers use.
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { z } from '@hono/zod-openapi'
import { socialMetricsBody } from '../metrics/schema'
import { crmEventSchemas } from '../webhooks/crm-events'
import { errorSchema, jsonResponse } from './openapi-app'

const checkSchema = z.object({
  status: z.enum(['ok', 'error']),
  duration_ms: z.number(),
  error: z.enum(['timeout', 'schema_missing', 'access_denied', 'unavailable']).optional(),
})

const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.object({ d1: checkSchema, kv: checkSchema, crm: checkSchema }),
  })
  .openapi('HealthReport')

const signatureHeaders = z.object({
  'x-webhook-signature': z.string().optional().openapi({
    description: "The CRM's scheme: lowercase hex HMAC-SHA256 of the raw body.",
  }),
  'x-webhook-id': z.string().optional().openapi({ description: 'Delivery id (CRM scheme).' }),
  'webhook-id': z.string().optional().openapi({ description: 'Standard Webhooks delivery id.' }),
  'webhook-timestamp': z.string().optional().openapi({ description: 'Unix seconds.' }),
  'webhook-signature': z.string().optional().openapi({
    description: 'Standard Webhooks: space-separated `v1,<base64>` entries.',
  }),
})

const webhookAnswers = {
  202: jsonResponse(z.object({ status: z.literal('accepted') }).passthrough(), 'Accepted; durable'),
  200: jsonResponse(
    z.object({ status: z.literal('duplicate') }),
    'This delivery id was accepted before',
  ),
  400: jsonResponse(errorSchema, '`invalid_json`: not UTF-8 JSON'),
  401: jsonResponse(errorSchema, '`invalid_signature`, whatever the reason'),
  405: jsonResponse(errorSchema, 'Not POST'),
  413: jsonResponse(errorSchema, '`payload_too_large`: over 256 KiB'),
  415: jsonResponse(errorSchema, '`unsupported_media_type`: not application/json'),
  422: jsonResponse(errorSchema, '`validation_failed`, with `issues`'),
  429: jsonResponse(errorSchema, '`rate_limited`, with Retry-After'),
  503: jsonResponse(errorSchema, '`unavailable`: not made durable; retry (Retry-After)'),
}

/** Adds the descriptions and the bearer security scheme to `app`'s document. */
export function describeSurface(app: OpenAPIHono<{ Bindings: Env }>): void {
  const registry = app.openAPIRegistry

  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'HS256 token minted by `npm run token`; scopes in the `scope` claim.',
  })

  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'State of D1, KV and the CRM connection',
    responses: {
      200: jsonResponse(healthSchema, 'All answer'),
      503: jsonResponse(healthSchema, 'One does not'),
    },
  })

  registry.registerPath({
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'The public key Red 360 verifies request tokens with',
    responses: {
      200: jsonResponse(
        z.object({ keys: z.array(z.record(z.string(), z.string())) }),
        'The key set',
      ),
      503: jsonResponse(errorSchema, 'No signing key configured'),
    },
  })

  registry.registerPath({
    method: 'post',
    path: '/webhooks/crm/{event}',
    summary: 'The CRM reports a change; a sync job is enqueued',
    description:
      'Required fields by event: agency.created/updated: id, name, slug, status; ' +
      'package.created/updated: id, agency_id, title, status; user.created/updated: id, ' +
      'name, email; *.deleted: id. Other fields are ignored. 404 `unknown_event` otherwise.',
    request: {
      params: z.object({ event: z.enum(Object.keys(crmEventSchemas) as [string, ...string[]]) }),
      headers: signatureHeaders,
      body: {
        required: true,
        content: {
          'application/json': { schema: z.union(Object.values(crmEventSchemas)) },
        },
      },
    },
    responses: { ...webhookAnswers, 404: jsonResponse(errorSchema, '`unknown_event`') },
  })

  registry.registerPath({
    method: 'post',
    path: '/webhooks/red360/social-metrics',
    summary: 'Red 360 reports social counters; the newest as_of per entity wins',
    request: {
      headers: signatureHeaders,
      body: { required: true, content: { 'application/json': { schema: socialMetricsBody } } },
    },
    responses: webhookAnswers,
  })
}
