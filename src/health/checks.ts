/**
 * Checks of the worker's dependencies for `GET /health`. Each check proves more than a
 * connection: D1 and the CRM must also hold this project's tables (`sync_state`,
 * `sync_queue`), so a database whose migrations were never applied shows as such.
 */
import { HEALTH_PROBE_KEY } from '../cache/keys'
import { withCrmConnection } from '../crm/connection'
import { TimeoutError, withTimeout } from '../lib/with-timeout'
import { errorCode, log } from '../log'

/** A dependency check: resolves when the dependency answers as expected, rejects otherwise. */
export type HealthCheck = () => Promise<unknown>

/** What one check found. `error` is a short code; details go to the log only. */
export interface CheckResult {
  status: 'ok' | 'error'
  duration_ms: number
  error?: 'timeout' | 'schema_missing' | 'access_denied' | 'unavailable'
}

/** Checks that D1 answers and holds the sync state table. */
export function d1Check(db: D1Database): HealthCheck {
  return () => db.prepare('SELECT 1 FROM sync_state LIMIT 1').all()
}

/** Checks that the KV namespace answers a read. */
export function kvCheck(kv: KVNamespace): HealthCheck {
  return () => kv.get(HEALTH_PROBE_KEY)
}

/** Checks that the CRM answers through Hyperdrive and holds the outbox table. */
export function crmCheck(hyperdrive: Hyperdrive, timeoutMs: number): HealthCheck {
  return () =>
    withCrmConnection(
      hyperdrive,
      (connection) => connection.query('SELECT 1 FROM sync_queue LIMIT 0'),
      {
        connectTimeoutMs: timeoutMs,
      },
    )
}

/** Runs one check within `timeoutMs`, logging the reason when it fails. */
export async function runCheck(
  name: string,
  check: HealthCheck,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = Date.now()

  try {
    await withTimeout(check(), timeoutMs)
    return { status: 'ok', duration_ms: Date.now() - started }
  } catch (error) {
    const duration_ms = Date.now() - started
    log('warn', 'health.check_failed', { check: name, error: errorCode(error), duration_ms })

    return { status: 'error', duration_ms, error: classify(error) }
  }
}

function classify(error: unknown): NonNullable<CheckResult['error']> {
  if (error instanceof TimeoutError) {
    return 'timeout'
  }

  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : ''
  if (code === 'ER_NO_SUCH_TABLE' || message.includes('no such table')) {
    return 'schema_missing'
  }

  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return 'access_denied'
  }

  return 'unavailable'
}
