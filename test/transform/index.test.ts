import { describe, expect, it } from 'vitest'
import { entityTypes } from '../../src/red360/contract'
import { toAgencyRepresentation } from '../../src/red360/transform/agency'
import { MalformedCrmRowError } from '../../src/red360/transform/errors'
import { crmColumns, crmTables, toRepresentation } from '../../src/red360/transform/index'

const agency = {
  id: 1,
  name: 'Viajes Sol',
  slug: 'viajes-sol',
  logo: null,
  email: null,
  status: 'activo',
}

describe('toRepresentation', () => {
  it('transforms each entity type with its own mapping', () => {
    expect(toRepresentation('agency', agency)).toEqual(toAgencyRepresentation(agency))
    expect(toRepresentation('user', { ...userRow(), id: 2 })).toMatchObject({ id: 2 })
    expect(toRepresentation('package', packageRow())).toMatchObject({ title: 'Tour' })
  })

  it('reports a malformed row under the type it was asked for', () => {
    let error: unknown
    try {
      toRepresentation('package', agency)
    } catch (thrown) {
      error = thrown
    }

    expect(error).toBeInstanceOf(MalformedCrmRowError)
    expect((error as MalformedCrmRowError).entityType).toBe('package')
  })
})

describe('crmTables and crmColumns', () => {
  it('name the CRM table of every entity type', () => {
    expect(crmTables).toEqual({ agency: 'agencies', package: 'packages', user: 'users' })
  })

  it('list the columns to select for every entity type', () => {
    for (const type of entityTypes) {
      expect(crmColumns[type]).toContain('id')
    }
    expect(crmColumns.user).not.toContain('password')
  })
})

function userRow() {
  return {
    id: 1,
    agency_id: null,
    name: 'Ana',
    email: 'ana@test',
    avatar: null,
    role: 'agent',
    status: 'active',
  }
}

function packageRow() {
  return {
    id: 3,
    agency_id: 1,
    title: 'Tour',
    destination: null,
    origin: null,
    main_image: null,
    status: 'active',
  }
}
