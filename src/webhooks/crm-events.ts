/**
 * The CRM's webhook events and the fields each must carry. The body is the entity's fields
 * as a JSON object; only the required ones are checked, and other fields are ignored (the
 * CRM sends whole rows, which grow when it adds columns). Nothing in the body is stored: the
 * sync job reads the entity's current row from the CRM.
 *
 * | event                        | required fields                      |
 * |------------------------------|--------------------------------------|
 * | agency.created, .updated     | id, name, slug, status               |
 * | package.created, .updated    | id, agency_id, title, status         |
 * | user.created, .updated       | id, name, email                      |
 * | agency/package/user.deleted  | id                                   |
 */
import { z } from 'zod'
import type { EntityType } from '../red360/contract'

const id = z.number().int().positive()
const text = z.string().min(1)

const deleted = z.object({ id })

/** The schema of each event's body. */
export const crmEventSchemas = {
  'agency.created': z.object({ id, name: text, slug: text, status: text }),
  'agency.updated': z.object({ id, name: text, slug: text, status: text }),
  'agency.deleted': deleted,
  'package.created': z.object({ id, agency_id: id, title: text, status: text }),
  'package.updated': z.object({ id, agency_id: id, title: text, status: text }),
  'package.deleted': deleted,
  'user.created': z.object({ id, name: text, email: text }),
  'user.updated': z.object({ id, name: text, email: text }),
  'user.deleted': deleted,
} as const

/** A CRM webhook event name. */
export type CrmEvent = keyof typeof crmEventSchemas

/** Whether `name` is a known CRM event. */
export function isCrmEvent(name: string): name is CrmEvent {
  return Object.hasOwn(crmEventSchemas, name)
}

/** The entity type an event is about. */
export function eventEntity(event: CrmEvent): EntityType {
  return event.slice(0, event.indexOf('.')) as EntityType
}
