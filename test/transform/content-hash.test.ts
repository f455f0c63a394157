import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  type AgencyRepresentation,
  notifiedPackageFields,
  type PackageRepresentation,
  type Representation,
  type UserRepresentation,
} from '../../src/red360/contract'
import { contentHash, fieldDigests, socialCounterFields } from '../../src/sync/content-hash'

const agency: AgencyRepresentation = {
  id: 7,
  name: 'Viajes Sol',
  slug: 'viajes-sol',
  logo_url: null,
  description: 'Beach holidays',
  website: 'https://sol.test',
  phone: '',
  email: 'hola@sol.test',
  address: '',
  verified: true,
  active: true,
  social_links: { instagram: 'https://instagram.com/sol', facebook: 'https://fb.com/sol' },
  followers_count: 120,
  social_rating: 4.25,
  social_verified: false,
}

const travelPackage: PackageRepresentation = {
  id: 31,
  agency_id: 7,
  title: 'Cancún 7 nights',
  description: '',
  destination: 'Cancún',
  origin: null,
  includes: ['Flights', 'Hotel'],
  excludes: [],
  images: ['a.jpg', 'b.jpg'],
  status: 'active',
  featured: false,
  social_visibility: 'public',
  likes_count: 15,
  comments_count: 4,
  views_count: 900,
  rating: 4.5,
}

const user: UserRepresentation = {
  id: 55,
  agency_id: null,
  name: 'Lucía',
  email: 'lucia@sol.test',
  phone: '',
  avatar_url: null,
  role: 'agent',
  active: true,
}

const counters: ReadonlySet<string> = new Set(socialCounterFields)

/** The same value with every key order reversed, at every depth. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(reversedKeys)
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, member]) => [key, reversedKeys(member)]),
    )
  }
  return value
}

/** Another value of the same type as `value`. */
function changed(value: unknown): unknown {
  if (typeof value === 'string') return `${value}!`
  if (typeof value === 'number') return value + 1
  if (typeof value === 'boolean') return !value
  if (value === null) return 'now set'
  if (Array.isArray(value)) return [...value, 'extra']
  return { ...(value as object), extra: 'https://extra.test' }
}

function withField(representation: Representation, field: string, value: unknown) {
  return { ...representation, [field]: value } as Representation
}

function contentFields(representation: Representation): string[] {
  return Object.keys(representation).filter((field) => !counters.has(field))
}

describe('contentHash', () => {
  it('is the lowercase hex SHA-256 of the sorted-key JSON without counters', async () => {
    const canonical =
      '{"active":true,"agency_id":null,"avatar_url":null,"email":"lucia@sol.test",' +
      '"id":55,"name":"Lucía","phone":"","role":"agent"}'
    const expected = createHash('sha256').update(canonical, 'utf8').digest('hex')

    expect(await contentHash(user)).toBe(expected)
    expect(await contentHash(agency)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('ignores the order of keys, nested ones included', async () => {
    for (const representation of [agency, travelPackage, user]) {
      const reordered = reversedKeys(representation) as Representation

      expect(await contentHash(reordered)).toBe(await contentHash(representation))
    }
  })

  it.each(socialCounterFields.filter((field) => field in agency))(
    "ignores a change of the agency's %s counter",
    async (field) => {
      const moved = withField(agency, field, changed(Reflect.get(agency, field)))

      expect(await contentHash(moved)).toBe(await contentHash(agency))
    },
  )

  it.each(socialCounterFields.filter((field) => field in travelPackage))(
    "ignores a change of the package's %s counter",
    async (field) => {
      const moved = withField(travelPackage, field, changed(Reflect.get(travelPackage, field)))

      expect(await contentHash(moved)).toBe(await contentHash(travelPackage))
    },
  )

  it.each([
    ...contentFields(agency).map((field) => ['agency', agency, field] as const),
    ...contentFields(travelPackage).map((field) => ['package', travelPackage, field] as const),
    ...contentFields(user).map((field) => ['user', user, field] as const),
  ])('changes when the %s field %s changes', async (_, representation, field) => {
    const edited = withField(representation, field, changed(Reflect.get(representation, field)))

    expect(await contentHash(edited)).not.toBe(await contentHash(representation))
  })

  it('changes when the order of a list changes', async () => {
    const reordered = { ...travelPackage, images: ['b.jpg', 'a.jpg'] }

    expect(await contentHash(reordered)).not.toBe(await contentHash(travelPackage))
  })

  it('tells a missing value from an empty one', async () => {
    const emptyOrigin = { ...travelPackage, origin: '' }

    expect(await contentHash(emptyOrigin)).not.toBe(await contentHash(travelPackage))
  })
})

describe('fieldDigests', () => {
  it('gives a 16-digit hex digest of each listed field', async () => {
    const digests = await fieldDigests(travelPackage, notifiedPackageFields)

    expect(Object.keys(digests)).toEqual([...notifiedPackageFields])
    for (const digest of Object.values(digests)) {
      expect(digest).toMatch(/^[0-9a-f]{16}$/)
    }
  })

  it('changes the digest of the changed field only', async () => {
    const before = await fieldDigests(travelPackage, notifiedPackageFields)
    const after = await fieldDigests(
      { ...travelPackage, includes: ['Flights', 'Hotel', 'Tours'] },
      notifiedPackageFields,
    )

    const changedFields = notifiedPackageFields.filter((field) => before[field] !== after[field])
    expect(changedFields).toEqual(['includes'])
  })

  it('gives equal values equal digests whatever their key order', async () => {
    const reordered = reversedKeys(agency) as Representation

    expect(await fieldDigests(reordered, ['social_links', 'name'])).toEqual(
      await fieldDigests(agency, ['social_links', 'name']),
    )
  })

  it('refuses a field the representation does not have', async () => {
    await expect(fieldDigests(user, ['title'])).rejects.toThrow(TypeError)
  })
})
