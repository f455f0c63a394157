/**
 * The SQL behind `npm run token` and `npm run token:revoke`: it records a minted token's
 * `jti` in D1 `api_tokens` (never the token itself) and marks a `jti` revoked. The command
 * runs it through `wrangler d1 execute`, locally or against the deployed D1, so it needs no
 * endpoint of its own. This module imports nothing from the worker, so the Node command can
 * load it directly.
 *
 * `wrangler d1 execute --command` takes SQL text and no bound parameters, so every value is
 * checked here before it is written into the statement: the `jti` must be a UUID, times must
 * be integers, and text is quoted with its single quotes doubled.
 */
import { z } from 'zod'

const uuid = z.uuid()

/** The longest validity `npm run token` grants, in days; a revocation row outlives it. */
export const MAX_TOKEN_DAYS = 3650

const DAY_MS = 24 * 60 * 60 * 1000

/** What `api_tokens` keeps of a minted token; times in epoch milliseconds. */
export interface TokenRecord {
  jti: string
  system: string
  /** The scopes granted. */
  scopes: readonly string[]
  issuedAt: number
  expiresAt: number
}

/** Throws a TypeError unless `jti` is a UUID, the only form `npm run token` mints. */
export function assertJti(jti: string): void {
  if (!uuid.safeParse(jti).success) {
    throw new TypeError(`"${jti}" is not a token id (a UUID)`)
  }
}

/** The SQL that records a minted token. */
export function insertTokenSql(token: TokenRecord): string {
  assertJti(token.jti)

  const values = [
    quote(token.jti),
    quote(token.system),
    quote(token.scopes.join(' ')),
    epochMs(token.issuedAt),
    epochMs(token.expiresAt),
  ]
  return [
    'INSERT INTO api_tokens (jti, system, scopes, issued_at, expires_at)',
    `VALUES (${values.join(', ')});`,
  ].join(' ')
}

/**
 * The SQL that revokes `jti` as of `now`. A token recorded when minted keeps its row and
 * gains `revoked_at`. A `jti` the table lacks (minted elsewhere, or its row lost) gets a row
 * of system `unknown` with no scopes, expiring {@link MAX_TOKEN_DAYS} after `now`: no token
 * minted before `now` can outlive that, so the revocation holds for as long as it matters.
 */
export function revokeTokenSql(jti: string, now: number): string {
  assertJti(jti)

  const at = epochMs(now)
  const expiresAt = epochMs(now + MAX_TOKEN_DAYS * DAY_MS)
  return [
    'INSERT INTO api_tokens (jti, system, scopes, issued_at, expires_at, revoked_at)',
    `VALUES (${quote(jti)}, 'unknown', '', ${at}, ${expiresAt}, ${at})`,
    'ON CONFLICT (jti) DO UPDATE SET revoked_at = excluded.revoked_at;',
  ].join(' ')
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function epochMs(time: number): number {
  if (!Number.isSafeInteger(Math.trunc(time)) || time < 0) {
    throw new TypeError(`${time} is not a time in epoch milliseconds`)
  }

  return Math.trunc(time)
}
