/**
 * The worker's HTTP surface as one Hono app. Errors reach clients as
 * `{ "error": "<code>", "message": "…" }`; the detail goes to the log.
 */
import { Hono } from 'hono'
import { healthRoute } from './health/route'
import { errorCode, log } from './log'
import { jwksRoute } from './red360/jwks-route'
import { webhookRoutes } from './webhooks/routes'

/** Builds the HTTP app. */
export function createApp(): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>()

  app.route('/health', healthRoute)
  app.route('/.well-known/jwks.json', jwksRoute)
  app.route('/webhooks', webhookRoutes)

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
