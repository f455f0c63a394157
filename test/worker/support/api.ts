/** Calling the service API through the worker's front door, with minted tokens. */
import { env, exports } from 'cloudflare:workers'
import type { ApiSystem } from '../../../src/auth/scopes'
import { mintToken } from '../../../src/auth/tokens'

/** A fresh token for `system`. */
export async function tokenFor(system: ApiSystem): Promise<string> {
  return (await mintToken(env.API_TOKEN_SECRET, system, 1)).token
}

/** Sends a request to the worker, with `system`'s token unless `token` is given. */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; system?: ApiSystem; token?: string } = {},
): Promise<Response> {
  const token = options.token ?? (await tokenFor(options.system ?? 'crm'))
  return exports.default.fetch(`http://worker${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
}
