/**
 * The KV key layout of ENTITY_CACHE, in one place. Every key is built here.
 *
 * | key                    | value                                       |
 * |------------------------|---------------------------------------------|
 * | `health:probe`         | never written; read by the health check     |
 * | `agency:<id>`          | the Red 360 representation of an agency     |
 * | `package:<id>`         | the Red 360 representation of a package     |
 */

/** The entity types whose Red 360 representation is cached. */
export type CachedEntityType = 'agency' | 'package'

/** The key the health check reads to prove the namespace answers. */
export const HEALTH_PROBE_KEY = 'health:probe'

/** The key of one cached entity. */
export function entityCacheKey(type: CachedEntityType, id: number): string {
  return `${type}:${id}`
}
