/**
 * A travel package: the CRM's `packages` row → Red 360's package representation.
 *
 * {@link packageRow} reads the row as mysql2 returns it and decodes what the driver leaves
 * encoded (0/1 flags) and the CRM's free-text lists (`include`, `no_include`,
 * `gallery_images`, read by the rules of `./lists`); the object literal in
 * {@link toPackageRepresentation} is then the whole field mapping, one line per Red 360
 * field, with the CRM's defaults for a NULL column. A column that has such a default may also
 * be absent from the row. Any package status other than `active` shows as `inactive`.
 */
import { z } from 'zod'
import { type PackageRepresentation, packageRepresentation } from '../contract'
import { checkRepresentation, parseCrmRow } from './errors'
import { imageListColumn, textListColumn, withMainImage } from './lists'

/** The `packages` columns the mapping reads; select only these (the table has more). */
export const packageColumns = [
  'id',
  'agency_id',
  'title',
  'details',
  'destination',
  'origin',
  'include',
  'no_include',
  'main_image',
  'gallery_images',
  'status',
  'featured',
  'social_visibility',
  'likes_count',
  'comments_count',
  'views_count',
  'rating',
] as const

/** One of {@link packageColumns}. */
export type PackageColumn = (typeof packageColumns)[number]

/** A TINYINT(1) flag, which mysql2 returns as the number 0 or 1. */
const flag = z.literal([0, 1]).transform((bit) => bit === 1)

/** A `packages` row as mysql2 returns it (`dateStrings`, `decimalNumbers`). */
export const packageRow = z.object({
  id: z.number(),
  agency_id: z.number(),
  title: z.string(),
  details: z.string().nullish(),
  destination: z.string().nullable(),
  origin: z.string().nullable(),
  include: textListColumn,
  no_include: textListColumn,
  main_image: z.string().nullable(),
  gallery_images: imageListColumn,
  status: z.string(),
  featured: flag.nullish(),
  social_visibility: z.string().nullish(),
  likes_count: z.number().nullish(),
  comments_count: z.number().nullish(),
  views_count: z.number().nullish(),
  rating: z.number().nullish(),
} satisfies Record<PackageColumn, z.ZodType>)

/** A `packages` row as mysql2 returns it, before {@link packageRow} decodes it. */
export type PackageRow = z.input<typeof packageRow>

/**
 * Turns a `packages` row into the package representation Red 360 takes. Throws a
 * `MalformedCrmRowError` when the row, or the representation made from it, breaks a rule.
 */
export function toPackageRepresentation(input: unknown): PackageRepresentation {
  const row = parseCrmRow('package', packageRow, input)

  const representation: PackageRepresentation = {
    id: row.id,
    agency_id: row.agency_id,
    title: row.title,
    description: row.details ?? '',
    destination: row.destination,
    origin: row.origin,
    includes: row.include,
    excludes: row.no_include,
    images: withMainImage(row.main_image, row.gallery_images),
    status: row.status === 'active' ? 'active' : 'inactive',
    featured: row.featured ?? false,
    social_visibility: row.social_visibility ?? 'public',
    likes_count: row.likes_count ?? 0,
    comments_count: row.comments_count ?? 0,
    views_count: row.views_count ?? 0,
    rating: row.rating ?? 0,
  }

  return checkRepresentation('package', packageRepresentation, representation)
}
