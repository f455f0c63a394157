/**
 * The worker's HTTP surface as one Hono app. Errors reach clients as
 * `{ "error": "<code>", "message": "…" }`; the detail goes to the log.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { bulkRoutes } from './api/bulk-routes'
import { catalogRoutes } from './api/catalog-routes'
import { mountDocs } from './api/docs-route'
import { describeSurface } from './api/surface-docs'
import { syncRoutes } from './api/sync-routes'
import { healthRoute } from './health/route'
import { errorCode, log } from './log'
import { jwksRoute } from './red360/jwks-route'
import { webhookRoutes } from './webhooks/routes'

/** Builds the HTTP app. */
export function createApp(): OpenAPIHono<{ Bindings: Env }> {
  const app = new OpenAPIHono<{ Bindings: Env }>()

  app.route('/health', healthRoute)
  app.route('/.well-known/jwks.json', jwksRoute)
  app.route('/webhooks', webhookRoutes)
  app.route('/api', syncRoutes)
  app.route('/api', bulkRoutes)
  app.route('/api', catalogRoutes)
  describeSurface(app)
  mountDocs(app)

  app.notFound((c) => c.json({ error: 'not_found', message: 'No such route.' }, 404))

  app.onError((error, c) => {
    log('error', 'http.failed', {
      method: c.req.method,
      path: c.req.path,
      error: errorCode(error),
    })

    return c.json({ error: 'internal_error', message: 'Something went wrong.' }, 500)
  })

  return app
}
