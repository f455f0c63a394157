/**
 * Refuses a /v1 body that is not JSON before the routes validate it: their validator would
 * otherwise treat a body without a JSON content type as `{}` and list every field as missing.
 */
import type { MiddlewareHandler } from 'hono'
import { errorBody } from './answers.ts'
import type { SandboxEnv } from './env.ts'

const jsonMediaType = /^application\/json\s*(;|$)/i

/** Middleware answering 415 to a non-JSON body and 400 `invalid_json` to malformed JSON. */
export function requireJsonBody(): MiddlewareHandler<SandboxEnv> {
  return async function checkJsonBody(c, next) {
    if (c.req.method !== 'PUT' && c.req.method !== 'POST') {
      return next()
    }

    if (!jsonMediaType.test(c.req.header('content-type') ?? '')) {
      return c.json(
        errorBody('unsupported_media_type', 'The body must be sent as application/json.'),
        415,
      )
    }

    try {
      JSON.parse(await c.req.text())
    } catch {
      return c.json(errorBody('invalid_json', 'The body is not valid JSON.'), 400)
    }

    return next()
  }
}
