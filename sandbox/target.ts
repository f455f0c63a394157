/**
 * Which resource a /v1 request is about, read from its path alone so that fault rules and the
 * request log can use it before the request is authenticated or validated.
 */
import { type EntityType, entityPaths, entityTypes } from '../src/red360/contract.ts'

/** The kinds of /v1 resource: the entity types plus notifications. */
export type TargetType = EntityType | 'notification'

/** The resource a /v1 request names; `null` where the path does not say. */
export interface RequestTarget {
  type: TargetType | null
  id: number | null
}

const typesBySegment = new Map<string, TargetType>([
  ...entityTypes.map((type) => [entityPaths[type], type] as const),
  ['notifications', 'notification'],
])

/** Reads `/v1/{segment}/{id}`; an unknown segment or a malformed id gives `null` there. */
export function describeTarget(path: string): RequestTarget {
  const [, root, segment = '', id = ''] = path.split('/')
  if (root !== 'v1') {
    return { type: null, id: null }
  }

  return {
    type: typesBySegment.get(segment) ?? null,
    id: /^[1-9]\d*$/.test(id) ? Number(id) : null,
  }
}
