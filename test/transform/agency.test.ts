import { describe, expect, it } from 'vitest'
import { agencyRepresentation } from '../../src/red360/contract'
import {
  type AgencyRow,
  agencyColumns,
  agencyRow,
  toAgencyRepresentation,
} from '../../src/red360/transform/agency'
import { caught, crmRow } from './support'

/** A complete `agencies` row as mysql2 returns it from MariaDB. */
const crmAgency = crmRow<AgencyRow>({
  id: 7,
  name: 'Viajes Sol',
  slug: 'viajes-sol',
  logo: 'https://cdn.test/logos/sol.png',
  description: 'Beach holidays since 1990',
  website: 'https://sol.test',
  phone: '+34 600 000 000',
  email: 'hola@sol.test',
  address: 'Calle Mayor 1, Madrid',
  status: 'activo',
  social_links: '{"instagram":"https://instagram.com/sol","facebook":"https://fb.com/sol"}',
  followers_count: 120,
  social_rating: 4.25,
  social_verified: 1,
})

describe('toAgencyRepresentation', () => {
  /** What the CRM's defaulted columns become when NULL or absent. */
  const defaults = {
    description: '',
    website: '',
    phone: '',
    address: '',
    social_links: {},
    followers_count: 0,
    social_rating: 0,
    social_verified: false,
  }

  it('maps every column of a complete row to its Red 360 field', () => {
    expect(toAgencyRepresentation(crmAgency())).toEqual({
      id: 7,
      name: 'Viajes Sol',
      slug: 'viajes-sol',
      logo_url: 'https://cdn.test/logos/sol.png',
      description: 'Beach holidays since 1990',
      website: 'https://sol.test',
      phone: '+34 600 000 000',
      email: 'hola@sol.test',
      address: 'Calle Mayor 1, Madrid',
      verified: true,
      active: true,
      social_links: { instagram: 'https://instagram.com/sol', facebook: 'https://fb.com/sol' },
      followers_count: 120,
      social_rating: 4.25,
      social_verified: true,
    })
  })

  it('gives NULL columns the CRM defaults, keeping a NULL logo and email as null', () => {
    const representation = toAgencyRepresentation(
      crmAgency({
        logo: null,
        description: null,
        website: null,
        phone: null,
        email: null,
        address: null,
        social_links: null,
        followers_count: null,
        social_rating: null,
        social_verified: null,
      }),
    )

    expect(representation).toMatchObject({ ...defaults, logo_url: null, email: null })
  })

  it('gives absent defaulted columns the same defaults as NULL ones', () => {
    const {
      description,
      website,
      phone,
      address,
      social_links,
      followers_count,
      social_rating,
      social_verified,
      ...required
    } = crmAgency()

    expect(toAgencyRepresentation(required)).toMatchObject(defaults)
  })

  it('shows an agency whose status is "activo" as active and verified', () => {
    expect(toAgencyRepresentation(crmAgency({ status: 'activo' }))).toMatchObject({
      active: true,
      verified: true,
    })
  })

  it.each(['inactivo', 'suspendido', 'Activo', 'active', ''])(
    'shows an agency whose status is "%s" as neither active nor verified',
    (status) => {
      expect(toAgencyRepresentation(crmAgency({ status }))).toMatchObject({
        active: false,
        verified: false,
      })
    },
  )

  it('reads the 0/1 social_verified flag as a boolean', () => {
    expect(toAgencyRepresentation(crmAgency({ social_verified: 0 })).social_verified).toBe(false)
    expect(toAgencyRepresentation(crmAgency({ social_verified: 1 })).social_verified).toBe(true)
  })

  it('produces a body the contract accepts', () => {
    expect(agencyRepresentation.safeParse(toAgencyRepresentation(crmAgency())).success).toBe(true)
  })

  it('ignores columns it does not map, such as timestamps', () => {
    const row = crmAgency({ updated_at: '2024-05-01 10:00:00', synced_at: null })

    expect(toAgencyRepresentation(row)).not.toHaveProperty('updated_at')
  })
})

describe('social_links', () => {
  const links = { instagram: 'https://instagram.com/sol' }

  it('decodes the JSON text MariaDB returns', () => {
    const row = crmAgency({ social_links: JSON.stringify(links) })
    expect(toAgencyRepresentation(row).social_links).toEqual(links)
  })

  it('takes the object MySQL 8 returns already parsed', () => {
    expect(toAgencyRepresentation(crmAgency({ social_links: links })).social_links).toEqual(links)
  })

  it.each([
    ['NULL', null],
    ['the JSON null', 'null'],
    ['an empty JSON array as text', '[]'],
    ['an empty array already parsed', []],
    ['an empty JSON object', '{}'],
  ])('reads %s as no links', (_, socialLinks) => {
    const row = crmAgency({ social_links: socialLinks })
    expect(toAgencyRepresentation(row).social_links).toEqual({})
  })

  it('reads an absent social_links column as no links', () => {
    const { social_links, ...row } = crmAgency()
    expect(toAgencyRepresentation(row).social_links).toEqual({})
  })

  it.each([
    ['text that is not JSON', 'instagram: sol'],
    ['empty text', ''],
    ['a JSON array of links', '["https://instagram.com/sol"]'],
    ['a parsed array of links', ['https://instagram.com/sol']],
    ['a JSON string', '"https://instagram.com/sol"'],
    ['a number', 42],
    ['a map holding a non-string link', '{"instagram": {"url": "https://instagram.com/sol"}}'],
    ['a map holding a NULL link', { instagram: null }],
  ])('refuses %s as a malformed row', (_, socialLinks) => {
    const error = caught(() => toAgencyRepresentation(crmAgency({ social_links: socialLinks })))

    expect(error.issues).toEqual([
      { path: 'social_links', message: 'expected a JSON object of network names to URL strings' },
    ])
  })
})

describe('a malformed agency row', () => {
  it('raises MalformedCrmRowError with its type, id, code and issues', () => {
    const error = caught(() =>
      toAgencyRepresentation(crmAgency({ name: 12, followers_count: '3' })),
    )

    expect(error.name).toBe('MalformedCrmRowError')
    expect(error.code).toBe('ERR_MALFORMED_CRM_ROW')
    expect(error.entityType).toBe('agency')
    expect(error.entityId).toBe(7)
    expect(error.issues.map((issue) => issue.path)).toEqual(['name', 'followers_count'])
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('refuses an empty name, which the contract forbids', () => {
    const error = caught(() => toAgencyRepresentation(crmAgency({ name: '' })))

    expect(error.issues.map((issue) => issue.path)).toEqual(['name'])
  })

  it('refuses a social rating above 5 and a negative follower count', () => {
    const error = caught(() =>
      toAgencyRepresentation(crmAgency({ social_rating: 7.5, followers_count: -1 })),
    )

    expect(error.issues.map((issue) => issue.path)).toEqual(['followers_count', 'social_rating'])
  })

  it.each([2, true, '1'])('refuses %j as a 0/1 flag', (flag) => {
    const error = caught(() => toAgencyRepresentation(crmAgency({ social_verified: flag })))

    expect(error.issues.map((issue) => issue.path)).toEqual(['social_verified'])
  })

  it('keeps the row values, personal data above all, out of the message and issues', () => {
    const error = caught(() =>
      toAgencyRepresentation(
        crmAgency({ id: 'hola@sol.test', email: 404, phone: 600000000, social_links: '{bad' }),
      ),
    )
    const told = JSON.stringify({ message: error.message, issues: error.issues })

    expect(error.entityId).toBeUndefined()
    expect(told).not.toContain('hola@sol.test')
    expect(told).not.toContain('600000000')
    expect(told).not.toContain('{bad')
    expect(told).not.toContain('Viajes Sol')
  })

  it('refuses a value that is not a row at all, without an id', () => {
    const error = caught(() => toAgencyRepresentation(null))

    expect(error.entityId).toBeUndefined()
    expect(error.issues).toEqual([{ path: '(row)', message: expect.any(String) }])
  })
})

describe('agencyColumns', () => {
  it('lists exactly the columns the row schema reads', () => {
    expect([...agencyColumns].sort()).toEqual(Object.keys(agencyRow.shape).sort())
  })
})
