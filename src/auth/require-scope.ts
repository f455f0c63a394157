/**
 * The service API's bearer authentication. A request without a valid token gets 401
 * `invalid_token` (the same answer whatever the reason, with the reason in the log); a valid
 * token without the scope a route needs gets 403 `insufficient_scope` naming that scope.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { every } from 'hono/combine'
import { errorResponse } from '../http/errors'
import { log } from '../log'
import type { Scope } from './scopes'
import { type ApiToken, InvalidTokenError, verifyToken } from './tokens'

/** Hono environment of authenticated routes: the verified token is in `token`. */
export type AuthEnv = { Bindings: Env; Variables: { token: ApiToken } }

const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/

/** Requires a valid token, whatever its scopes; routes whose scope depends on the request. */
export function requireToken(): MiddlewareHandler<AuthEnv> {
  return async function authenticate(c, next) {
    const match = bearer.exec(c.req.header('authorization') ?? '')
    if (match?.[1] === undefined) {
      return unauthorized(c, 'missing_or_malformed')
    }

    try {
      c.set('token', await verifyToken(match[1], c.env.API_TOKEN_SECRET, c.env.SYNC_DB))
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        return unauthorized(c, error.code)
      }
      if (error instanceof TypeError) {
        // API_TOKEN_SECRET is missing or too short: no token can be checked, whoever sent it.
        log('error', 'auth.misconfigured', { path: c.req.path })
        return errorResponse(c, 503, 'not_configured', 'The API is not configured.')
      }
      throw error
    }
    await next()
  }
}

/** Requires a valid token carrying `scope`. */
export function requireScope(scope: Scope): MiddlewareHandler<AuthEnv> {
  const authorize: MiddlewareHandler<AuthEnv> = async (c, next) => {
    if (!c.get('token').scopes.has(scope)) {
      return forbidden(c, scope)
    }
    await next()
  }

  return every(requireToken(), authorize)
}

/** The 403 answer for a token that lacks `scope`. */
export function forbidden(c: Context<AuthEnv>, scope: Scope): Response {
  const token = c.get('token')
  log('warn', 'auth.forbidden', { jti: token.jti, system: token.system, scope })
  c.header('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`)
  return errorResponse(c, 403, 'insufficient_scope', `This token lacks the scope ${scope}.`, {
    scope,
  })
}

function unauthorized(c: Context, reason: string): Response {
  log('warn', 'auth.refused', { path: c.req.path, reason })
  c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
  return errorResponse(c, 401, 'invalid_token', 'A valid bearer token is required.')
}
