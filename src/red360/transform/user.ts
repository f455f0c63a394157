/**
 * A user (an agency's staff member): the CRM's `users` row → Red 360's user representation.
 *
 * The CRM names no user fields for Red 360, so this is our own minimal set: who the person is
 * (name, email, phone, avatar), which agency they work for, their role there and whether the
 * account is active (`status = 'active'`). The `users` table also holds passwords and session
 * tokens, which is why {@link userColumns} lists exactly what to select. The object literal in
 * {@link toUserRepresentation} is the whole field mapping, one line per Red 360 field.
 */
import { z } from 'zod'
import { type UserRepresentation, userRepresentation } from '../contract'
import { checkRepresentation, parseCrmRow } from './errors'

/** The `users` columns the mapping reads; select only these, never the whole row. */
export const userColumns = [
  'id',
  'agency_id',
  'name',
  'email',
  'phone',
  'avatar',
  'role',
  'status',
] as const

/** One of {@link userColumns}. */
export type UserColumn = (typeof userColumns)[number]

/** A `users` row as mysql2 returns it. `agency_id` is NULL for staff of no agency. */
export const userRow = z.object({
  id: z.number(),
  agency_id: z.number().nullable(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullish(),
  avatar: z.string().nullable(),
  role: z.string(),
  status: z.string(),
} satisfies Record<UserColumn, z.ZodType>)

/** A `users` row as mysql2 returns it. */
export type UserRow = z.input<typeof userRow>

/**
 * Turns a `users` row into the user representation Red 360 takes. Throws a
 * `MalformedCrmRowError` when the row, or the representation made from it, breaks a rule.
 */
export function toUserRepresentation(input: unknown): UserRepresentation {
  const row = parseCrmRow('user', userRow, input)

  const representation: UserRepresentation = {
    id: row.id,
    agency_id: row.agency_id,
    name: row.name,
    email: row.email,
    phone: row.phone ?? '',
    avatar_url: row.avatar,
    role: row.role,
    active: row.status === 'active',
  }

  return checkRepresentation('user', userRepresentation, representation)
}
