/**
 * Everything one sandbox remembers. It lives in memory and belongs to one app instance, so
 * two sandboxes in the same process never share state.
 */
import type { NotificationBody } from '../src/red360/contract.ts'
import { FaultInjector } from './faults.ts'
import { IdempotencyStore } from './idempotency.ts'
import { RequestLog } from './request-log.ts'
import { EntityStore } from './store.ts'

/** The state of one sandbox. */
export interface SandboxState {
  entities: EntityStore
  idempotency: IdempotencyStore
  /** Notification bodies in the order they were accepted. */
  notifications: NotificationBody[]
  requests: RequestLog
  faults: FaultInjector
}

/** Empty state for a new sandbox. */
export function createSandboxState(): SandboxState {
  return {
    entities: new EntityStore(),
    idempotency: new IdempotencyStore(),
    notifications: [],
    requests: new RequestLog(),
    faults: new FaultInjector(),
  }
}

/** Empties every part of `state`, fault rules included. */
export function resetSandboxState(state: SandboxState): void {
  state.entities.clear()
  state.idempotency.clear()
  state.notifications.length = 0
  state.requests.clear()
  state.faults.clear()
}
