/**
 * Follower notifications: when a package is first synced or a field its agency's followers
 * care about changes, Red 360 is asked once to notify them. The per-field digests of the last
 * notified state live in D1 (`sync_state.notify_digest`), so the check survives retries and a
 * repeated job finds nothing new to announce.
 */

import type { Red360Client, Red360Result } from '../red360/client'
import { notifiedPackageFields, type PackageRepresentation } from '../red360/contract'
import { fieldDigests } from './content-hash'

/** The notification a package change calls for, or null when followers heard of it already. */
export interface PendingNotification {
  digest: Record<string, string>
  send: (client: Red360Client) => Promise<Red360Result>
}

/** Compares the package with the last notified digest. */
export async function pendingNotification(
  representation: PackageRepresentation,
  version: number,
  previous: Record<string, string> | null,
): Promise<PendingNotification | null> {
  const digest = await fieldDigests(representation, notifiedPackageFields)
  const changed = notifiedPackageFields.filter((field) => previous?.[field] !== digest[field])
  if (changed.length === 0) {
    return null
  }

  const body = {
    event: previous === null ? ('package.created' as const) : ('package.updated' as const),
    package_id: representation.id,
    agency_id: representation.agency_id,
    version,
    changed,
  }

  return {
    digest,
    send: (client) => client.notify(body, `notify:package:${representation.id}:v${version}`),
  }
}
