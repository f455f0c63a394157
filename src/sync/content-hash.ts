/**
 * Content hashes of Red 360 representations: a sync job skips the push when the hash equals
 * the one Red 360 last accepted, and per-field digests tell which package fields changed
 * since the agency's followers last heard about the package.
 *
 * What is hashed is a canonical JSON of the representation: object keys sorted at every
 * depth, arrays in their order, no whitespace. Two equal representations therefore hash
 * alike whatever order their keys were built in. Red 360 owns the social counters and keeps
 * its own on every PUT, so the CRM's copies ({@link socialCounterFields}) are left out: a
 * counter flushed back into the CRM must not cause a push.
 *
 * Stored hashes are only comparable with hashes made the same way: changing the canonical
 * form or the excluded fields makes every entity look changed once, costing one extra push
 * per entity.
 */
import type { Representation } from '../red360/contract'

/** The representation fields that Red 360 owns and the content hash leaves out. */
export const socialCounterFields = [
  'followers_count',
  'social_rating',
  'likes_count',
  'comments_count',
  'views_count',
  'rating',
] as const

/** Hex digits kept of a field digest: 64 bits, plenty to tell two versions of a field apart. */
const fieldDigestLength = 16

const excludedFields: ReadonlySet<string> = new Set(socialCounterFields)

/**
 * The lowercase hex SHA-256 of `representation` in canonical JSON, without the social
 * counters.
 */
export async function contentHash(representation: Representation): Promise<string> {
  const content = Object.fromEntries(
    Object.entries(representation).filter(([field]) => !excludedFields.has(field)),
  )

  return sha256Hex(canonicalJson(content))
}

/**
 * The lowercase hex SHA-256 of the whole body a write sends, counters included: the basis of
 * its idempotency key. Red 360 fingerprints the exact body under a key, so a key must change
 * whenever any byte of the body does (a counter flushed into the CRM between a timed-out
 * write and its retry included).
 */
export async function bodyHash(representation: Representation, version: number): Promise<string> {
  return sha256Hex(canonicalJson({ ...representation, version }))
}

/**
 * A short digest (16 hex digits of a SHA-256 of its canonical JSON) of each of `fields` of
 * `representation`, keyed by field name, to compare with the digests stored at the last
 * notification. Throws a `TypeError` for a field the representation does not have, which is
 * a caller's mistake.
 */
export async function fieldDigests(
  representation: Representation,
  fields: readonly string[],
): Promise<Record<string, string>> {
  const values: Readonly<Record<string, unknown>> = representation
  const digests = await Promise.all(
    fields.map(async (field) => {
      if (!Object.hasOwn(values, field)) {
        throw new TypeError(`fieldDigests: the representation has no field "${field}"`)
      }

      const digest = await sha256Hex(canonicalJson(values[field]))
      return [field, digest.slice(0, fieldDigestLength)] as const
    }),
  )

  return Object.fromEntries(digests)
}

/**
 * JSON with object keys sorted at every depth (by UTF-16 code units, as `sort` compares), so
 * equal values give equal text. Members whose value is `undefined` are left out, as in JSON.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`
  }

  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      // An object's keys are distinct, so no two compare equal.
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`)
    return `{${members.join(',')}}`
  }

  return JSON.stringify(value)
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}
