/**
 * `GET /health`: the state of D1, KV and the CRM connection. 200 when all answer, 503 when
 * any does not; a failing dependency never makes the endpoint itself fail.
 */
import { Hono } from 'hono'
import { type CheckResult, crmCheck, d1Check, kvCheck, runCheck } from './checks'

/** How long each dependency may take before it counts as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 3000

/** The body of a `/health` answer. */
export interface HealthReport {
  status: 'ok' | 'unavailable'
  checks: { d1: CheckResult; kv: CheckResult; crm: CheckResult }
}

/** The `/health` routes, to mount under `/health`. */
export const healthRoute = new Hono<{ Bindings: Env }>().get('/', async (c) => {
  const [d1, kv, crm] = await Promise.all([
    runCheck('d1', d1Check(c.env.SYNC_DB), HEALTH_CHECK_TIMEOUT_MS),
    runCheck('kv', kvCheck(c.env.ENTITY_CACHE), HEALTH_CHECK_TIMEOUT_MS),
    runCheck('crm', crmCheck(c.env.CRM_DB, HEALTH_CHECK_TIMEOUT_MS), HEALTH_CHECK_TIMEOUT_MS),
  ])

  const checks = { d1, kv, crm }
  const healthy = Object.values(checks).every((check) => check.status === 'ok')
  const report: HealthReport = { status: healthy ? 'ok' : 'unavailable', checks }

  c.header('Cache-Control', 'no-store')
  return c.json(report, healthy ? 200 : 503)
})
