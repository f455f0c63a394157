/** Test access to the Red 360 sandbox's control endpoints. */
import { env } from 'cloudflare:workers'

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${env.RED360_API_URL}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok && response.status !== 404) {
    throw new Error(`sandbox ${method} ${path} answered ${response.status}`)
  }
  return response
}

/** A fault rule of the sandbox (see docs/red360-ingest.md). */
export interface FaultRule {
  match?: { method?: string; type?: string; id?: number }
  status?: number
  retry_after?: number
  latency_ms?: number
  error_rate?: number
  times?: number
  outage?: boolean
}

/** An entity as the sandbox stores it. */
export interface StoredEntity {
  version: number
  deleted: boolean
  representation: Record<string, unknown> | null
  writes: number
}

/** One request the sandbox received. */
export interface LoggedRequest {
  method: string
  path: string
  type: string | null
  id: number | null
  status: number | null
  at: number
}

/** Empties the sandbox: entities, faults, idempotency keys, notifications, request log. */
export async function resetSandbox(): Promise<void> {
  await control('POST', '/reset')
}

/** Replaces the sandbox's fault rules. */
export async function setFaults(rules: FaultRule[]): Promise<void> {
  await control('PUT', '/faults', { rules })
}

/** The fault rules still in force; a rule used up by `times` is gone. */
export async function faultRules(): Promise<FaultRule[]> {
  return ((await (await control('GET', '/faults')).json()) as { rules: FaultRule[] }).rules
}

/** The stored entity, or null when the sandbox never received it. */
export async function storedEntity(type: string, id: number): Promise<StoredEntity | null> {
  const response = await control('GET', `/entities/${type}/${id}`)
  return response.status === 404 ? null : ((await response.json()) as StoredEntity)
}

/** The stored entity; throws while it is absent, for use inside `eventually`. */
export async function requireEntity(type: string, id: number): Promise<StoredEntity> {
  const entity = await storedEntity(type, id)
  if (entity === null) {
    throw new Error(`the sandbox holds no ${type} ${id}`)
  }
  return entity
}

/** Every request the sandbox received, oldest first. */
export async function requestLog(): Promise<LoggedRequest[]> {
  return (await (await control('GET', '/requests')).json()) as LoggedRequest[]
}

/** Every notification the sandbox received. */
export async function notifications(): Promise<Record<string, unknown>[]> {
  return (await (await control('GET', '/notifications')).json()) as Record<string, unknown>[]
}
