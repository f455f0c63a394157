/**
 * The base of every service API router: an OpenAPIHono whose request validation answers
 * 422 `validation_failed` with `issues`, as every other endpoint does, and whose routes are
 * described in `/openapi.json` from the same zod schemas that validate them.
 */
import { OpenAPIHono, type RouteConfig, type RouteHandler, z } from '@hono/zod-openapi'
import type { AuthEnv } from '../auth/require-scope'
import { errorResponse, validationIssues } from '../http/errors'

/** A router of the service API. */
export function apiRouter(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = validationIssues(result.error)
        return errorResponse(c, 422, 'validation_failed', 'The request is not valid.', { issues })
      }
      return undefined
    },
  })
}

/** An OpenAPI response description with a JSON body of `schema`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

/** The error body of every API error answer, for the OpenAPI document. */
export const errorSchema = z
  .object({
    error: z.string().openapi({ example: 'validation_failed' }),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    scope: z.string().optional(),
  })
  .openapi('Error')

/** Responses every authenticated route can give, for the OpenAPI document. */
export const authErrorResponses = {
  401: jsonResponse(errorSchema, 'Missing, malformed, expired, revoked or wrongly signed token'),
  403: jsonResponse(
    errorSchema,
    'The token lacks the scope this route needs (`insufficient_scope`)',
  ),
} as const

/** The bearer security requirement, for `createRoute`. */
export const bearerSecurity = [{ bearerAuth: [] }]

/** A route handler that answers plain Responses, some built by shared helpers. */
export type ApiHandler<R extends RouteConfig> = (
  c: Parameters<RouteHandler<R, AuthEnv>>[0],
) => Promise<Response>

/**
 * Adds `route` to `app`. Handlers build error answers with the shared helpers, whose
 * Responses carry no per-route typing; the route's declared responses still document every
 * answer in /openapi.json, and the tests hold each route to them.
 */
export function addRoute<R extends RouteConfig>(
  app: OpenAPIHono<AuthEnv>,
  route: R,
  handler: ApiHandler<R>,
): void {
  app.openapi(route, handler as unknown as RouteHandler<R, AuthEnv>)
}
