/**
 * The local Red 360: the /v1 ingest API of `src/red360/contract.ts` with Red 360's rules,
 * the `/_sandbox` control API, and `GET /openapi.json`, as one Hono app with its own state.
 * `server.ts` serves it over Node.js HTTP.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { errorCode, log } from '../src/log.ts'
import { errorBody, validationFailed } from './answers.ts'
import { type JwksSource, requireToken } from './auth.ts'
import { controlRoutes } from './control.ts'
import type { SandboxEnv } from './env.ts'
import { injectFaults } from './faults.ts'
import { rememberAnswers } from './idempotency.ts'
import { requireJsonBody } from './json-body.ts'
import { logRequests } from './request-log.ts'
import { registerIngestRoutes } from './routes.ts'
import { createSandboxState } from './state.ts'

/** Options for {@link createSandboxApp}. */
export interface SandboxAppOptions {
  /** The keys that bearer tokens must be signed with. */
  jwks: JwksSource
}

/** The OpenAPI document's top level; its paths come from the routes. */
const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'Red 360 ingest API',
    version: '1',
    description:
      'Writes of agencies, packages and users from the AMS365 CRM into Red 360, and ' +
      "notifications to an agency's followers. See docs/red360-ingest.md for the rules.",
  },
}

/** Builds a sandbox app with empty state. */
export function createSandboxApp(options: SandboxAppOptions): OpenAPIHono<SandboxEnv> {
  const state = createSandboxState()
  const app = new OpenAPIHono<SandboxEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(validationFailed(result.error), 422)
      }
    },
  })

  // Order matters: faults act before authentication like a failure in front of the service,
  // and idempotency fingerprints the raw request before the body is checked.
  app.use(
    '/v1/*',
    logRequests(state.requests),
    injectFaults(state.faults),
    requireToken(options.jwks),
    rememberAnswers(state.idempotency),
    requireJsonBody(),
  )
  registerIngestRoutes(app, state)
  app.route('/_sandbox', controlRoutes(state))
  app.doc31('/openapi.json', documentConfig)

  app.notFound((c) => c.json(errorBody('not_found', 'No such route.'), 404))
  app.onError((error, c) => {
    log('error', 'sandbox.failed', {
      method: c.req.method,
      path: c.req.path,
      error: errorCode(error),
    })
    return c.json(errorBody('internal_error', 'Something went wrong.'), 500)
  })

  return app
}

/** The OpenAPI 3.1 document of the /v1 routes, as `GET /openapi.json` serves it. */
export function ingestApiDocument(): ReturnType<OpenAPIHono['getOpenAPI31Document']> {
  const app = createSandboxApp({ jwks: { keys: [] } })
  return app.getOpenAPI31Document(documentConfig)
}
