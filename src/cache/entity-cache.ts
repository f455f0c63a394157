/**
 * The KV copy of Red 360 representations, for fast reads at the edge. Only agencies and
 * packages are cached: users carry personal data and are never read through the cache.
 *
 * KV takes one write per second per key and is eventually consistent, so the cache is
 * refreshed on a best-effort basis after Red 360 accepted a write: a failed write is tried
 * once more after the per-key second has passed, then logged, and never fails the sync; no
 * decision is ever taken on what KV holds. Every copy expires after
 * {@link SYNC_CACHE_TTL_SECONDS}, which bounds how long a write or eviction lost both times
 * can leave a stale copy: after that, reads fall back to the CRM.
 */
import { errorCode, log } from '../log'
import type { EntityType, Representation } from '../red360/contract'
import { type CachedEntityType, entityCacheKey } from './keys'

/** How long a copy written by the sync lives in KV. */
export const SYNC_CACHE_TTL_SECONDS = 24 * 60 * 60

/** How long to wait before the second try: KV's one write per second per key. */
const RETRY_AFTER_MS = 1_100

function isCached(type: EntityType): type is CachedEntityType {
  return type === 'agency' || type === 'package'
}

/** Stores the representation Red 360 accepted. */
export async function cacheRepresentation(
  kv: KVNamespace,
  type: EntityType,
  representation: Representation,
): Promise<void> {
  if (!isCached(type)) {
    return
  }

  const key = entityCacheKey(type, representation.id)
  const value = JSON.stringify(representation)
  await twice(
    () => kv.put(key, value, { expirationTtl: SYNC_CACHE_TTL_SECONDS }),
    'cache.write_failed',
    type,
    representation.id,
  )
}

/** Removes a deleted entity from the cache. */
export async function evictRepresentation(
  kv: KVNamespace,
  type: EntityType,
  id: number,
): Promise<void> {
  if (!isCached(type)) {
    return
  }

  await twice(() => kv.delete(entityCacheKey(type, id)), 'cache.delete_failed', type, id)
}

async function twice(
  write: () => Promise<void>,
  event: string,
  type: EntityType,
  id: number,
): Promise<void> {
  try {
    await write()
  } catch {
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS))
    await write().catch((error: unknown) => {
      log('warn', event, { entity: type, id, error: errorCode(error) })
    })
  }
}
