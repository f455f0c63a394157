/**
 * The systems that call the service API and the scopes each is granted. A token names its
 * system in `sub` and carries its scopes, space-separated, in `scope`.
 */

/** Every scope the API checks. */
export const scopes = [
  'sync:agencies',
  'sync:packages',
  'sync:users',
  'webhook:receive',
  'metrics:send',
  'read:catalog',
  'admin',
] as const

/** One scope. */
export type Scope = (typeof scopes)[number]

/** The systems tokens are minted for, with their scopes. */
export const systemScopes = {
  crm: ['sync:agencies', 'sync:packages', 'sync:users'],
  red360: ['webhook:receive', 'metrics:send', 'read:catalog'],
  admin: ['admin', 'sync:agencies', 'sync:packages', 'sync:users', 'read:catalog'],
} as const satisfies Record<string, readonly Scope[]>

/** A system a token can be minted for. */
export type ApiSystem = keyof typeof systemScopes

/** The claims every service API token carries besides `sub`, `scope`, `jti`, `iat`, `exp`. */
export const apiTokenClaims = {
  issuer: 'red360-sync',
  audience: 'red360-sync-api',
  algorithm: 'HS256',
} as const
