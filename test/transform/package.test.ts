import { describe, expect, it } from 'vitest'
import { packageRepresentation } from '../../src/red360/contract'
import {
  type PackageRow,
  packageColumns,
  packageRow,
  toPackageRepresentation,
} from '../../src/red360/transform/package'
import { caught, crmRow } from './support'

/** A complete `packages` row as mysql2 returns it. */
const crmPackage = crmRow<PackageRow>({
  id: 31,
  agency_id: 7,
  title: 'Cancún 7 nights',
  details: 'All-inclusive beach week',
  destination: 'Cancún',
  origin: 'Madrid',
  include: '- Flights\n- Hotel, 7 nights\n- Transfers',
  no_include: 'Travel insurance, Tips',
  main_image: 'https://cdn.test/cancun/main.jpg',
  gallery_images: '["https://cdn.test/cancun/1.jpg", "https://cdn.test/cancun/2.jpg"]',
  status: 'active',
  featured: 1,
  social_visibility: 'followers',
  likes_count: 15,
  comments_count: 4,
  views_count: 900,
  rating: 4.5,
})

describe('toPackageRepresentation', () => {
  /** What the CRM's defaulted columns become when NULL or absent. */
  const defaults = {
    description: '',
    includes: [],
    excludes: [],
    featured: false,
    social_visibility: 'public',
    likes_count: 0,
    comments_count: 0,
    views_count: 0,
    rating: 0,
  }

  it('maps every column of a complete row to its Red 360 field', () => {
    expect(toPackageRepresentation(crmPackage())).toEqual({
      id: 31,
      agency_id: 7,
      title: 'Cancún 7 nights',
      description: 'All-inclusive beach week',
      destination: 'Cancún',
      origin: 'Madrid',
      includes: ['Flights', 'Hotel, 7 nights', 'Transfers'],
      excludes: ['Travel insurance', 'Tips'],
      images: [
        'https://cdn.test/cancun/main.jpg',
        'https://cdn.test/cancun/1.jpg',
        'https://cdn.test/cancun/2.jpg',
      ],
      status: 'active',
      featured: true,
      social_visibility: 'followers',
      likes_count: 15,
      comments_count: 4,
      views_count: 900,
      rating: 4.5,
    })
  })

  it('gives NULL columns the CRM defaults, keeping NULL destination and origin as null', () => {
    const representation = toPackageRepresentation(
      crmPackage({
        details: null,
        destination: null,
        origin: null,
        include: null,
        no_include: null,
        main_image: null,
        gallery_images: null,
        featured: null,
        social_visibility: null,
        likes_count: null,
        comments_count: null,
        views_count: null,
        rating: null,
      }),
    )

    expect(representation).toMatchObject({
      ...defaults,
      destination: null,
      origin: null,
      images: [],
    })
  })

  it('gives absent defaulted columns the same defaults as NULL ones', () => {
    const {
      details,
      include,
      no_include,
      gallery_images,
      featured,
      social_visibility,
      likes_count,
      comments_count,
      views_count,
      rating,
      ...required
    } = crmPackage()

    expect(toPackageRepresentation(required)).toMatchObject({
      ...defaults,
      images: ['https://cdn.test/cancun/main.jpg'],
    })
  })

  it('shows a package whose status is "active" as active', () => {
    expect(toPackageRepresentation(crmPackage({ status: 'active' })).status).toBe('active')
  })

  it.each(['inactive', 'draft', 'archived', 'Active', 'activo', ''])(
    'shows a package whose status is "%s" as inactive',
    (status) => {
      expect(toPackageRepresentation(crmPackage({ status })).status).toBe('inactive')
    },
  )

  it('reads the 0/1 featured flag as a boolean', () => {
    expect(toPackageRepresentation(crmPackage({ featured: 0 })).featured).toBe(false)
    expect(toPackageRepresentation(crmPackage({ featured: 1 })).featured).toBe(true)
  })

  it('produces a body the contract accepts', () => {
    const representation = toPackageRepresentation(crmPackage())
    expect(packageRepresentation.safeParse(representation).success).toBe(true)
  })
})

describe('includes and excludes', () => {
  it.each([
    ['a JSON array', '["Flights", "Hotel"]'],
    ['a newline list', 'Flights\r\nHotel\n'],
    ['a comma list', 'Flights, Hotel'],
    ['a bulleted list', '• Flights\n• Hotel'],
    ['a list with blanks and repeats', 'Flights\n\nHotel\nFlights\n  '],
  ])('reads %s from include and no_include alike', (_, text) => {
    const representation = toPackageRepresentation(crmPackage({ include: text, no_include: text }))

    expect(representation.includes).toEqual(['Flights', 'Hotel'])
    expect(representation.excludes).toEqual(['Flights', 'Hotel'])
  })

  it('reads empty include and no_include as empty lists', () => {
    const representation = toPackageRepresentation(crmPackage({ include: '', no_include: ' ' }))

    expect(representation.includes).toEqual([])
    expect(representation.excludes).toEqual([])
  })
})

describe('images', () => {
  it('puts the main image first and leaves its repeat out of the gallery', () => {
    const row = crmPackage({
      main_image: 'https://cdn.test/b.jpg',
      gallery_images: 'https://cdn.test/a.jpg\nhttps://cdn.test/b.jpg\nhttps://cdn.test/a.jpg',
    })

    expect(toPackageRepresentation(row).images).toEqual([
      'https://cdn.test/b.jpg',
      'https://cdn.test/a.jpg',
    ])
  })

  it('shows the gallery alone when there is no main image', () => {
    const row = crmPackage({ main_image: null, gallery_images: 'a.jpg, b.jpg' })

    expect(toPackageRepresentation(row).images).toEqual(['a.jpg', 'b.jpg'])
  })

  it('shows the main image alone when there is no gallery', () => {
    const row = crmPackage({ main_image: 'main.jpg', gallery_images: null })

    expect(toPackageRepresentation(row).images).toEqual(['main.jpg'])
  })
})

describe('a malformed package row', () => {
  it.each(['include', 'no_include', 'gallery_images'])(
    'is refused when %s holds a JSON array of non-strings',
    (column) => {
      const error = caught(() => toPackageRepresentation(crmPackage({ [column]: '[1, {"a": 2}]' })))

      expect(error.entityType).toBe('package')
      expect(error.entityId).toBe(31)
      expect(error.issues).toEqual([{ path: column, message: 'expected a JSON array of strings' }])
    },
  )

  it('is refused for wrong column types, naming each column', () => {
    const error = caught(() =>
      toPackageRepresentation(crmPackage({ agency_id: '7', title: null, featured: 2 })),
    )

    expect(error.code).toBe('ERR_MALFORMED_CRM_ROW')
    expect(error.issues.map((issue) => issue.path)).toEqual(['agency_id', 'title', 'featured'])
  })

  it('is refused for an empty title or a rating above 5', () => {
    const error = caught(() => toPackageRepresentation(crmPackage({ title: '', rating: 5.5 })))

    expect(error.issues.map((issue) => issue.path)).toEqual(['title', 'rating'])
  })

  it('keeps the row values out of the message and issues', () => {
    const error = caught(() =>
      toPackageRepresentation(crmPackage({ include: '["secret-note", 3]', title: 99 })),
    )
    const told = JSON.stringify({ message: error.message, issues: error.issues })

    expect(told).not.toContain('secret-note')
    expect(told).not.toContain('99')
  })
})

describe('packageColumns', () => {
  it('lists exactly the columns the row schema reads', () => {
    expect([...packageColumns].sort()).toEqual(Object.keys(packageRow.shape).sort())
  })
})
