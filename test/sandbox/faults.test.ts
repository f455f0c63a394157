import { describe, expect, it } from 'vitest'
import { agency, json, travelPackage, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

async function setRules(rules: unknown[]): Promise<Response> {
  return sandbox().control('PUT', '/faults', { rules })
}

describe('fault rules', () => {
  it('answer a fixed status with Retry-After and leave the entity untouched', async () => {
    await setRules([{ status: 503, retry_after: 7 }])
    const response = await sandbox().put('agency', agency())

    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(await json(response)).toMatchObject({ error: 'injected_fault' })
    expect((await sandbox().control('GET', '/entities/agency/1')).status).toBe(404)
  })

  it('fire as many times as `times` says, then the request succeeds', async () => {
    await setRules([{ status: 500, times: 2 }])

    const statuses = []
    for (let attempt = 0; attempt < 3; attempt++) {
      statuses.push((await sandbox().put('agency', agency(), { key: 'retried' })).status)
    }

    expect(statuses).toEqual([500, 500, 201])
    expect(await json(await sandbox().control('GET', '/faults'))).toEqual({ rules: [] })
  })

  it('drop the connection without an answer on an outage', async () => {
    await setRules([{ outage: true, times: 1 }])

    await expect(sandbox().put('agency', agency())).rejects.toThrow(TypeError)
    expect((await sandbox().put('agency', agency())).status).toBe(201)
  })

  it('apply only to the type and id they match', async () => {
    await setRules([{ match: { type: 'package', id: 11 }, status: 429, retry_after: 1 }])
    await sandbox().put('agency', agency())

    expect((await sandbox().put('package', travelPackage({ id: 10 }))).status).toBe(201)
    expect((await sandbox().put('package', travelPackage({ id: 11 }))).status).toBe(429)
  })

  it('apply only to the method they match', async () => {
    await setRules([{ match: { method: 'DELETE' }, status: 502 }])

    expect((await sandbox().put('agency', agency())).status).toBe(201)
    expect((await sandbox().remove('agency', 1, 2)).status).toBe(502)
  })

  it('delay the request and then handle it when they only add latency', async () => {
    await setRules([{ latency_ms: 200 }])
    const started = performance.now()
    const response = await sandbox().put('agency', agency())

    expect(response.status).toBe(201)
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
  })

  it('never fire with an error rate of 0', async () => {
    await setRules([{ status: 500, error_rate: 0 }])

    expect((await sandbox().put('agency', agency())).status).toBe(201)
  })

  it('are not remembered under the idempotency key', async () => {
    await setRules([{ status: 503, times: 1 }])

    expect((await sandbox().put('agency', agency(), { key: 'once' })).status).toBe(503)
    expect((await sandbox().put('agency', agency(), { key: 'once' })).status).toBe(201)
  })

  it('are refused with 422 when malformed', async () => {
    for (const rules of [[{ status: 200 }], [{ match: { type: 'hotel' } }], [{}], [{ times: 0 }]]) {
      const response = await setRules(rules)
      expect(response.status).toBe(422)
      expect(await json(response)).toMatchObject({ error: 'validation_failed' })
    }
  })

  it('are all removed by a reset', async () => {
    await setRules([{ status: 500 }])
    await sandbox().control('POST', '/reset')

    expect(await json(await sandbox().control('GET', '/faults'))).toEqual({ rules: [] })
  })
})
