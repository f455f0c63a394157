import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import type { HealthReport } from '../../src/health/route'

describe('GET /health', () => {
  it('answers 200 with every dependency ok when D1, KV and the CRM answer', async () => {
    const response = await exports.default.fetch('http://worker/health')
    const report = (await response.json()) as HealthReport

    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(report.status).toBe('ok')
    expect(report.checks.d1.status).toBe('ok')
    expect(report.checks.kv.status).toBe('ok')
    expect(report.checks.crm.status).toBe('ok')
  })

  it('answers 503 naming the CRM when its database is unreachable', async () => {
    const app = createApp()
    const broken = { ...env, CRM_DB: env.CRM_DB_UNREACHABLE }

    const response = await app.request('/health', {}, broken)
    const report = (await response.json()) as HealthReport

    expect(response.status).toBe(503)
    expect(report.status).toBe('unavailable')
    expect(report.checks.crm).toMatchObject({ status: 'error', error: 'unavailable' })
    expect(report.checks.d1.status).toBe('ok')
    expect(report.checks.kv.status).toBe('ok')
  })
})
