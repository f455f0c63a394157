/**
 * The KV copy of Red 360 representations, for fast reads at the edge. Only agencies and
 * packages are cached: users carry personal data and are never read through the cache.
 *
 * KV takes one write per second per key and is eventually consistent, so the cache is
 * refreshed on a best-effort basis after Red 360 accepted a write; a failed refresh is
 * logged and never fails the sync, and no decision is ever taken on what KV holds.
 */
import { errorCode, log } from '../log'
import type { EntityType, Representation } from '../red360/contract'
import { type CachedEntityType, entityCacheKey } from './keys'

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
  await kv.put(key, JSON.stringify(representation)).catch((error: unknown) => {
    log('warn', 'cache.write_failed', {
      entity: type,
      id: representation.id,
      error: errorCode(error),
    })
  })
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

  await kv.delete(entityCacheKey(type, id)).catch((error: unknown) => {
    log('warn', 'cache.delete_failed', { entity: type, id, error: errorCode(error) })
  })
}
