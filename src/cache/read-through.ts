/**
 * Reads an agency or package the way Red 360's apps see it: from ENTITY_CACHE when KV holds
 * it, otherwise from the CRM, in which case the representation made from the CRM row is put
 * into KV for the next reader. Users are not cached and cannot be read here: their
 * representation carries personal data.
 *
 * The sync writes KV (without expiry) after every change Red 360 accepted and deletes the key
 * when an entity is deleted, so a miss is rare: an entity the sync never wrote, or a KV write
 * that failed. A copy made here expires after {@link FALLBACK_TTL_SECONDS}.
 *
 * Trade-off: KV has no compare-and-set. When the sync writes or evicts a key while a miss is
 * being served, the fill may land after it and put back the older content (or a deleted
 * entity). That needs a change within the few milliseconds of one CRM read; it is accepted
 * because the fill's expiry bounds how long such a copy can be served, and the entity's next
 * change overwrites it sooner.
 */
import { withCrmConnection } from '../crm/connection'
import { readEntity } from '../crm/entities'
import { withTimeout } from '../lib/with-timeout'
import { errorCode, log } from '../log'
import {
  type AgencyRepresentation,
  agencyRepresentation,
  type PackageRepresentation,
  packageRepresentation,
  type Representation,
} from '../red360/contract'
import { MalformedCrmRowError } from '../red360/transform/errors'
import { toRepresentation } from '../red360/transform/index'
import { type CachedEntityType, entityCacheKey } from './keys'

/**
 * How long a copy filled from the CRM lives in KV, in seconds. The sync refreshes KV on every
 * change, so this only bounds how stale a fallback copy can get if a change ever missed it
 * (see the trade-off above).
 */
export const FALLBACK_TTL_SECONDS = 60 * 60

/** How long one CRM read may take, connection included, before it counts as unavailable. */
export const CRM_READ_TIMEOUT_MS = 5_000

/** The bindings a read needs. */
export interface ReadThroughBindings {
  kv: KVNamespace
  crm: Hyperdrive
}

/** A representation the catalog serves. */
export type CatalogRepresentation = AgencyRepresentation | PackageRepresentation

/**
 * What a read found: `hit` (from KV), `miss` (from the CRM, now in KV), `absent` (neither KV
 * nor the CRM holds the id) or `malformed` (the CRM row cannot become a representation; the
 * error names the columns, never their values).
 */
export type ReadThroughResult =
  | { outcome: 'hit' | 'miss'; representation: CatalogRepresentation }
  | { outcome: 'absent' }
  | { outcome: 'malformed'; error: MalformedCrmRowError }

/** The CRM could not be read (down, unreachable, too slow); the cause is kept for the log. */
export class CrmUnavailableError extends Error {
  override readonly name = 'CrmUnavailableError'
  readonly code = 'ERR_CRM_UNAVAILABLE'

  constructor(options: ErrorOptions) {
    super('the CRM could not be read', options)
  }
}

const schemas = { agency: agencyRepresentation, package: packageRepresentation } as const

/**
 * Reads the agency or package `id`, from KV or else from the CRM (filling KV). Throws a
 * {@link CrmUnavailableError} when KV misses and the CRM cannot be read.
 */
export async function readThrough(
  bindings: ReadThroughBindings,
  type: CachedEntityType,
  id: number,
): Promise<ReadThroughResult> {
  const cached = await readCached(bindings.kv, type, id)
  if (cached !== null) {
    return { outcome: 'hit', representation: cached }
  }

  const row = await readCrmRow(bindings.crm, type, id)
  if (row === null) {
    return { outcome: 'absent' }
  }

  let representation: Representation
  try {
    representation = toRepresentation(type, row)
  } catch (error) {
    if (error instanceof MalformedCrmRowError) {
      return { outcome: 'malformed', error }
    }
    throw error
  }

  // Parsing again narrows the type and puts the fields in the schema's order, the order a
  // KV hit serves them in, so both paths send the same bytes for the same content.
  const checked = schemas[type].parse(representation)
  await fill(bindings.kv, type, checked)
  return { outcome: 'miss', representation: checked }
}

/**
 * The cached representation, or null when KV has none. A KV failure or an entry that does
 * not match the contract (written before a contract change) reads as a miss: the CRM is the
 * source of truth, and the fill replaces a bad entry.
 */
async function readCached(
  kv: KVNamespace,
  type: CachedEntityType,
  id: number,
): Promise<CatalogRepresentation | null> {
  let text: string | null
  try {
    text = await kv.get(entityCacheKey(type, id), 'text')
  } catch (error) {
    log('warn', 'cache.read_failed', { entity: type, id, error: errorCode(error) })
    return null
  }

  if (text === null) {
    return null
  }

  const parsed = schemas[type].safeParse(parseJson(text))
  if (!parsed.success) {
    log('warn', 'cache.entry_invalid', { entity: type, id })
    return null
  }

  return parsed.data
}

async function readCrmRow(
  crm: Hyperdrive,
  type: CachedEntityType,
  id: number,
): Promise<Record<string, unknown> | null> {
  try {
    const read = withCrmConnection(crm, (connection) => readEntity(connection, type, id), {
      connectTimeoutMs: CRM_READ_TIMEOUT_MS,
    })
    return (await withTimeout(read, CRM_READ_TIMEOUT_MS)).row
  } catch (error) {
    throw new CrmUnavailableError({ cause: error })
  }
}

/**
 * Best effort: a failed fill costs the next reader one more CRM read, nothing else. The write
 * is awaited rather than left to `waitUntil`: misses are rare, and once the write is done the
 * next request at this location reads the entry.
 */
async function fill(
  kv: KVNamespace,
  type: CachedEntityType,
  representation: CatalogRepresentation,
): Promise<void> {
  const key = entityCacheKey(type, representation.id)
  await kv
    .put(key, JSON.stringify(representation), { expirationTtl: FALLBACK_TTL_SECONDS })
    .catch((error: unknown) => {
      log('warn', 'cache.write_failed', {
        entity: type,
        id: representation.id,
        error: errorCode(error),
      })
    })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
