/**
 * An agency: the CRM's `agencies` row → Red 360's agency representation.
 *
 * {@link agencyRow} reads the row as mysql2 returns it and decodes what the driver leaves
 * encoded (the `social_links` JSON, 0/1 flags); the object literal in
 * {@link toAgencyRepresentation} is then the whole field mapping, one line per Red 360 field,
 * with the CRM's defaults for a NULL column. A column that has such a default may also be
 * absent from the row. In the CRM, `status = 'activo'` marks an agency both active and
 * verified.
 */
import { z } from 'zod'
import { type AgencyRepresentation, agencyRepresentation } from '../contract'
import { checkRepresentation, parseCrmRow } from './errors'

/** The `agencies` columns the mapping reads; select only these (the table has more). */
export const agencyColumns = [
  'id',
  'name',
  'slug',
  'logo',
  'description',
  'website',
  'phone',
  'email',
  'address',
  'status',
  'social_links',
  'followers_count',
  'social_rating',
  'social_verified',
] as const

/** One of {@link agencyColumns}. */
export type AgencyColumn = (typeof agencyColumns)[number]

/** A network name → profile URL map, the only shape Red 360 takes. */
const linkMap = z.record(z.string(), z.string())

/** Stands for text that is not JSON; no schema accepts it. */
const notJson = Symbol('not JSON')

/**
 * `social_links` is a JSON column. MariaDB stores JSON as LONGTEXT, so mysql2 hands it over as
 * text there; MySQL 8 hands it over parsed. NULL or an absent column means no links, and so
 * does `[]`, which is what PHP's `json_encode` writes for an empty map. On MySQL 8, a JSON
 * string holding a map's text (a map encoded twice) therefore reads as that map: the driver's
 * answer is the same text in both cases.
 */
const socialLinksColumn = z
  .unknown()
  .optional()
  .transform((value, context) => {
    const links = decodeSocialLinks(value)
    if (links === undefined) {
      context.addIssue('expected a JSON object of network names to URL strings')
      return z.NEVER
    }

    return links
  })

/** A TINYINT(1) flag, which mysql2 returns as the number 0 or 1. */
const flag = z.literal([0, 1]).transform((bit) => bit === 1)

/** An `agencies` row as mysql2 returns it (`dateStrings`, `decimalNumbers`). */
export const agencyRow = z.object({
  id: z.number(),
  name: z.string(),
  slug: z.string(),
  logo: z.string().nullable(),
  description: z.string().nullish(),
  website: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullable(),
  address: z.string().nullish(),
  status: z.string(),
  social_links: socialLinksColumn,
  followers_count: z.number().nullish(),
  social_rating: z.number().nullish(),
  social_verified: flag.nullish(),
} satisfies Record<AgencyColumn, z.ZodType>)

/** An `agencies` row as mysql2 returns it, before {@link agencyRow} decodes it. */
export type AgencyRow = z.input<typeof agencyRow>

/**
 * Turns an `agencies` row into the agency representation Red 360 takes. Throws a
 * `MalformedCrmRowError` when the row, or the representation made from it, breaks a rule.
 */
export function toAgencyRepresentation(input: unknown): AgencyRepresentation {
  const row = parseCrmRow('agency', agencyRow, input)

  const representation: AgencyRepresentation = {
    id: row.id,
    name: row.name,
    slug: row.slug,
    logo_url: row.logo,
    description: row.description ?? '',
    website: row.website ?? '',
    phone: row.phone ?? '',
    email: row.email,
    address: row.address ?? '',
    verified: row.status === 'activo',
    active: row.status === 'activo',
    social_links: row.social_links ?? {},
    followers_count: row.followers_count ?? 0,
    social_rating: row.social_rating ?? 0,
    social_verified: row.social_verified ?? false,
  }

  return checkRepresentation('agency', agencyRepresentation, representation)
}

/**
 * The links of a `social_links` value: `null` when there is no value (NULL, an absent column,
 * the JSON `null`), `{}` for `[]`, `undefined` for anything but a map of strings.
 */
function decodeSocialLinks(value: unknown): Record<string, string> | null | undefined {
  const decoded = typeof value === 'string' ? parseJson(value) : value
  if (decoded === null || decoded === undefined) {
    return null
  }

  if (Array.isArray(decoded) && decoded.length === 0) {
    return {}
  }

  const links = linkMap.safeParse(decoded)
  return links.success ? links.data : undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // The parser's message quotes the text, which may hold personal data: keep only the fact.
    return notJson
  }
}
