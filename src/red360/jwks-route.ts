/**
 * `GET /.well-known/jwks.json`: the public key Red 360 verifies this worker's request tokens
 * with. Cached by clients for five minutes; a rotation publishes the new key before signing
 * with it (see README, "Rotating the signing key").
 */
import { Hono } from 'hono'
import { errorCode, log } from '../log'
import { loadSigningKey } from './signing'

/** How long clients may cache the key set. */
export const JWKS_MAX_AGE_SECONDS = 300

/** The JWKS route, to mount at `/.well-known/jwks.json`. */
export const jwksRoute = new Hono<{ Bindings: Env }>().get('/', async (c) => {
  try {
    const key = await loadSigningKey(c.env.RED360_SIGNING_KEY)
    c.header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
    return c.json({ keys: [key.publicJwk] })
  } catch (error) {
    log('error', 'jwks.unavailable', { error: errorCode(error) })
    return c.json({ error: 'not_configured', message: 'No signing key is configured.' }, 503)
  }
})
