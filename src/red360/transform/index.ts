/**
 * CRM rows → Red 360 representations, for any entity type. Each entity's mapping lives in its
 * own module (`./agency`, `./package`, `./user`); this one picks the right one and says which
 * table and columns to read for it.
 */
import type { EntityType, Representation } from '../contract'
import { agencyColumns, toAgencyRepresentation } from './agency'
import { packageColumns, toPackageRepresentation } from './package'
import { toUserRepresentation, userColumns } from './user'

const transforms: Readonly<Record<EntityType, (row: unknown) => Representation>> = {
  agency: toAgencyRepresentation,
  package: toPackageRepresentation,
  user: toUserRepresentation,
}

/**
 * Turns a CRM row of `type` into its Red 360 representation, checked against the contract.
 * Throws a `MalformedCrmRowError` when the row cannot make a valid one.
 */
export function toRepresentation(type: EntityType, row: unknown): Representation {
  return transforms[type](row)
}

/** The CRM table of each entity type. */
export const crmTables: Readonly<Record<EntityType, string>> = {
  agency: 'agencies',
  package: 'packages',
  user: 'users',
}

/**
 * The columns to select for each entity type: exactly those its mapping reads, because the
 * operator's tables hold more (passwords and session tokens in `users`).
 */
export const crmColumns: Readonly<Record<EntityType, readonly string[]>> = {
  agency: agencyColumns,
  package: packageColumns,
  user: userColumns,
}
