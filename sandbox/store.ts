/**
 * The entities the sandbox holds, with Red 360's write rules: versions only grow, a delete
 * leaves a tombstone at its version, social counters are seeded once, and a package or user
 * needs its agency. HTTP is not known here; the routes turn each outcome into an answer.
 */
import type { z } from 'zod'
import type { EntityType, Representation, upsertBodies } from '../src/red360/contract.ts'

/** The body of a PUT, for any entity type. */
export type UpsertBody = z.infer<(typeof upsertBodies)[EntityType]>

/** What the sandbox holds about one entity id. A deleted entity is kept as a tombstone. */
export interface EntityRecord {
  type: EntityType
  id: number
  /** The version of the last applied PUT or DELETE. */
  version: number
  deleted: boolean
  /** The stored representation; `null` for a tombstone. */
  representation: Representation | null
  /** PUTs that were applied (created or updated); repeats and refusals do not count. */
  writes: number
}

/** The result of a PUT. */
export type PutOutcome =
  | { status: 'created' | 'updated' | 'unchanged'; record: EntityRecord }
  | { status: 'version_conflict'; currentVersion: number }
  | { status: 'parent_missing'; agencyId: number }

/** The result of a DELETE. */
export type DeleteOutcome =
  | { status: 'deleted'; record: EntityRecord }
  | { status: 'version_conflict'; currentVersion: number }
  | { status: 'not_found' }

/** Red 360 owns these fields: the first PUT seeds them and later PUTs cannot change them. */
const socialCounters: Readonly<Record<EntityType, readonly string[]>> = {
  agency: ['followers_count', 'social_rating'],
  package: ['likes_count', 'comments_count', 'views_count', 'rating'],
  user: [],
}

/** The entities of one sandbox, in memory. */
export class EntityStore {
  readonly #records = new Map<string, EntityRecord>()

  /**
   * Applies a PUT. A version equal to a tombstone's is refused like an older one: the delete
   * came after the write that carried that version, so the write must not bring it back.
   */
  put(type: EntityType, body: UpsertBody): PutOutcome {
    const { version, ...representation } = body
    const stored = this.#records.get(recordKey(type, body.id))

    if (stored && (version < stored.version || (stored.deleted && version === stored.version))) {
      return { status: 'version_conflict', currentVersion: stored.version }
    }
    if (stored && !stored.deleted && version === stored.version) {
      return { status: 'unchanged', record: stored }
    }

    const agencyId = 'agency_id' in representation ? representation.agency_id : null
    if (agencyId !== null && !this.holds('agency', agencyId)) {
      return { status: 'parent_missing', agencyId }
    }

    const existing = stored && !stored.deleted ? stored.representation : null
    const record: EntityRecord = {
      type,
      id: body.id,
      version,
      deleted: false,
      representation: existing ? keepCounters(type, representation, existing) : representation,
      writes: (stored?.writes ?? 0) + 1,
    }
    this.#records.set(recordKey(type, body.id), record)

    return { status: existing ? 'updated' : 'created', record }
  }

  /**
   * Applies a DELETE. Deleting a tombstone again at its version or later succeeds, so that a
   * sender retrying a delete whose answer it lost is not told the entity never existed.
   */
  delete(type: EntityType, id: number, version: number): DeleteOutcome {
    const stored = this.#records.get(recordKey(type, id))
    if (!stored) {
      return { status: 'not_found' }
    }
    if (version < stored.version) {
      return { status: 'version_conflict', currentVersion: stored.version }
    }

    const record: EntityRecord = { ...stored, version, deleted: true, representation: null }
    this.#records.set(recordKey(type, id), record)

    return { status: 'deleted', record }
  }

  /** The record of one entity, tombstones included. */
  get(type: EntityType, id: number): EntityRecord | undefined {
    return this.#records.get(recordKey(type, id))
  }

  /** Every record of one type, tombstones included, by id. */
  list(type: EntityType): EntityRecord[] {
    return [...this.#records.values()]
      .filter((record) => record.type === type)
      .sort((a, b) => a.id - b.id)
  }

  /** Whether an entity is stored and not deleted. */
  holds(type: EntityType, id: number): boolean {
    return this.get(type, id)?.deleted === false
  }

  /** Forgets every entity and tombstone. */
  clear(): void {
    this.#records.clear()
  }
}

function recordKey(type: EntityType, id: number): string {
  return `${type}:${id}`
}

function keepCounters(
  type: EntityType,
  incoming: Representation,
  stored: Representation,
): Representation {
  const kept = Object.fromEntries(
    socialCounters[type].map((field) => [field, stored[field as keyof Representation]]),
  )

  return { ...incoming, ...kept } as Representation
}
