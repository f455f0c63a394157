/**
 * The Red 360 ingest contract: the bodies this worker sends and the answers it understands.
 * The worker's client and the local Red 360 sandbox both validate with these schemas, and the
 * OpenAPI document `docs/red360-ingest.openapi.json` is generated from them.
 *
 * Rules of the contract:
 * - `PUT /v1/{agencies|packages|users}/{id}` carries the full representation plus `version`,
 *   the entity's CRM change counter. A version lower than the stored one (or than a delete's)
 *   is refused with 409; the same version is an idempotent repeat (200).
 * - Social counters in a PUT (`followers_count`, `social_rating`, `likes_count`,
 *   `comments_count`, `views_count`, `rating`) seed a new entity only. Red 360 owns the live
 *   counters and keeps its own on every later PUT.
 * - `DELETE /v1/{type}/{id}?version=N` removes the entity and keeps a tombstone at N, so an
 *   older PUT arriving late is refused with 409. Deleting an unknown id answers 404.
 * - A package or user whose agency Red 360 does not hold is refused with 424 `parent_missing`
 *   naming the agency; the sender syncs the agency and tries again.
 * - Every write carries `Authorization: Bearer <JWT>` (ES256, issuer `red360-sync`, audience
 *   `red360-ingest`, verified against the worker's `/.well-known/jwks.json`) and an
 *   `Idempotency-Key`. A repeated key with the same body returns the first successful answer
 *   again; with another body it is refused with 422 `idempotency_key_reused`. Refusals and
 *   failures are not remembered, so a request may be repeated under its key once fixed.
 * - 422 means the request can never succeed as sent; 429 and 503 carry `Retry-After`
 *   (seconds); other 5xx answers and timeouts may succeed later.
 */
import { z } from 'zod'

/** The entity types Red 360 ingests, as the CRM names them. */
export const entityTypes = ['agency', 'package', 'user'] as const

/** One of {@link entityTypes}. */
export type EntityType = (typeof entityTypes)[number]

/** The URL path segment of each entity type. */
export const entityPaths: Readonly<Record<EntityType, string>> = {
  agency: 'agencies',
  package: 'packages',
  user: 'users',
}

const id = z.number().int().positive()
const counter = z.number().int().nonnegative()
const rating = z.number().min(0).max(5)

/** An agency as Red 360 shows it. */
export const agencyRepresentation = z.strictObject({
  id,
  name: z.string().min(1),
  slug: z.string().min(1),
  logo_url: z.string().nullable(),
  description: z.string(),
  website: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  address: z.string(),
  verified: z.boolean(),
  active: z.boolean(),
  social_links: z.record(z.string(), z.string()),
  followers_count: counter,
  social_rating: rating,
  social_verified: z.boolean(),
})

/** A travel package as Red 360 shows it. */
export const packageRepresentation = z.strictObject({
  id,
  agency_id: id,
  title: z.string().min(1),
  description: z.string(),
  destination: z.string().nullable(),
  origin: z.string().nullable(),
  includes: z.array(z.string()),
  excludes: z.array(z.string()),
  images: z.array(z.string()),
  status: z.enum(['active', 'inactive']),
  featured: z.boolean(),
  social_visibility: z.string(),
  likes_count: counter,
  comments_count: counter,
  views_count: counter,
  rating,
})

/** A CRM user (an agency's staff member) as Red 360 shows it. */
export const userRepresentation = z.strictObject({
  id,
  agency_id: id.nullable(),
  name: z.string().min(1),
  email: z.string(),
  phone: z.string(),
  avatar_url: z.string().nullable(),
  role: z.string(),
  active: z.boolean(),
})

/** The representation schema of each entity type. */
export const representations = {
  agency: agencyRepresentation,
  package: packageRepresentation,
  user: userRepresentation,
} as const

/** An agency as Red 360 shows it. */
export type AgencyRepresentation = z.infer<typeof agencyRepresentation>
/** A package as Red 360 shows it. */
export type PackageRepresentation = z.infer<typeof packageRepresentation>
/** A user as Red 360 shows it. */
export type UserRepresentation = z.infer<typeof userRepresentation>
/** Any entity as Red 360 shows it. */
export type Representation = AgencyRepresentation | PackageRepresentation | UserRepresentation

/** The CRM change counter sent with every write. */
export const version = z.number().int().nonnegative()

/** The body of `PUT /v1/{type}/{id}` for each type: the representation plus `version`. */
export const upsertBodies = {
  agency: agencyRepresentation.extend({ version }),
  package: packageRepresentation.extend({ version }),
  user: userRepresentation.extend({ version }),
} as const

/** The fields of a package change that its agency's followers hear about. */
export const notifiedPackageFields = [
  'title',
  'description',
  'destination',
  'origin',
  'includes',
  'excludes',
  'status',
] as const

/** The body of `POST /v1/notifications`: tell an agency's followers about a package. */
export const notificationBody = z.strictObject({
  event: z.enum(['package.created', 'package.updated']),
  package_id: id,
  agency_id: id,
  version,
  changed: z.array(z.enum(notifiedPackageFields)),
})

/** A notification request. */
export type NotificationBody = z.infer<typeof notificationBody>

/** A successful write's answer. */
export const writeAccepted = z.object({
  id,
  version,
  status: z.enum(['created', 'updated', 'unchanged', 'deleted']),
})

/** An error answer; `current_version` comes with 409, `parent` with 424. */
export const errorAnswer = z.object({
  error: z.string(),
  message: z.string(),
  current_version: version.optional(),
  parent: z.object({ type: z.enum(entityTypes), id }).optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
})

/** An error answer of Red 360. */
export type ErrorAnswer = z.infer<typeof errorAnswer>

/** The JWT claims Red 360 expects from this worker. */
export const tokenClaims = {
  issuer: 'red360-sync',
  audience: 'red360-ingest',
  algorithm: 'ES256',
} as const
