import { describe, expect, it } from 'vitest'
import { userRepresentation } from '../../src/red360/contract'
import { MalformedCrmRowError } from '../../src/red360/transform/errors'
import {
  toUserRepresentation,
  type UserRow,
  userColumns,
  userRow,
} from '../../src/red360/transform/user'
import { caught, crmRow } from './support'

/** A complete `users` row as mysql2 returns it. */
const crmUser = crmRow<UserRow>({
  id: 55,
  agency_id: 7,
  name: 'Lucía Gómez',
  email: 'lucia@sol.test',
  phone: '+34 611 111 111',
  avatar: 'https://cdn.test/avatars/lucia.png',
  role: 'manager',
  status: 'active',
})

describe('toUserRepresentation', () => {
  it('maps every column of a complete row to its Red 360 field', () => {
    expect(toUserRepresentation(crmUser())).toEqual({
      id: 55,
      agency_id: 7,
      name: 'Lucía Gómez',
      email: 'lucia@sol.test',
      phone: '+34 611 111 111',
      avatar_url: 'https://cdn.test/avatars/lucia.png',
      role: 'manager',
      active: true,
    })
  })

  it('keeps a NULL agency and avatar as null and shows a NULL phone as empty', () => {
    expect(toUserRepresentation(crmUser({ agency_id: null, avatar: null, phone: null }))).toEqual(
      expect.objectContaining({ agency_id: null, avatar_url: null, phone: '' }),
    )
  })

  it('shows an absent phone column as empty', () => {
    const { phone, ...row } = crmUser()
    expect(toUserRepresentation(row).phone).toBe('')
  })

  it.each(['inactive', 'blocked', 'activo', 'Active'])(
    'shows a user whose status is "%s" as inactive',
    (status) => {
      expect(toUserRepresentation(crmUser({ status })).active).toBe(false)
    },
  )

  it('produces a body the contract accepts', () => {
    expect(userRepresentation.safeParse(toUserRepresentation(crmUser())).success).toBe(true)
  })

  it('passes no column it does not map, even when the row holds a password', () => {
    const row = crmUser({ password: '$2y$10$hash', remember_token: 'token' })

    expect(Object.keys(toUserRepresentation(row)).sort()).toEqual(
      Object.keys(userRepresentation.shape).sort(),
    )
  })
})

describe('a malformed user row', () => {
  it('is refused without an email, naming the column but not the person', () => {
    const error = caught(() => toUserRepresentation(crmUser({ email: null, name: '' })))

    expect(error).toBeInstanceOf(MalformedCrmRowError)
    expect(error.entityType).toBe('user')
    expect(error.entityId).toBe(55)
    expect(error.issues.map((issue) => issue.path)).toEqual(['email'])
    expect(error.message).not.toContain('Lucía')
  })

  it('is refused for an empty name, which the contract forbids', () => {
    expect(() => toUserRepresentation(crmUser({ name: '' }))).toThrow(MalformedCrmRowError)
  })
})

describe('userColumns', () => {
  it('lists exactly the columns the row schema reads, and no secrets', () => {
    expect([...userColumns].sort()).toEqual(Object.keys(userRow.shape).sort())
    expect(userColumns).not.toContain('password')
    expect(userColumns).not.toContain('remember_token')
  })
})
