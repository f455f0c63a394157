import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../sandbox/server.ts'
import { agency, json, travelPackage, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

describe('the request log', () => {
  it('lists every /v1 request with the status it got, faults and refusals included', async () => {
    const before = Date.now()
    await sandbox().put('agency', agency(), { key: 'k1' })
    await sandbox().put('package', travelPackage({ agency_id: 7 }), { key: 'k2' })
    await sandbox().put('agency', agency(), { token: null, key: 'k3' })
    await sandbox().control('PUT', '/faults', { rules: [{ status: 503, times: 1 }] })
    await sandbox().remove('agency', 1, 2, { key: 'k4' })
    await sandbox().control('PUT', '/faults', { rules: [{ outage: true, times: 1 }] })
    await sandbox()
      .notify({}, { key: 'k5' })
      .catch(() => undefined)

    const log = (await (await sandbox().control('GET', '/requests')).json()) as Array<
      Record<string, unknown>
    >
    expect(log.map(({ at, ...entry }) => entry)).toEqual([
      {
        method: 'PUT',
        path: '/v1/agencies/1',
        type: 'agency',
        id: 1,
        status: 201,
        idempotency_key: 'k1',
        error: null,
        reason: null,
      },
      {
        method: 'PUT',
        path: '/v1/packages/10',
        type: 'package',
        id: 10,
        status: 424,
        idempotency_key: 'k2',
        error: 'parent_missing',
        reason: null,
      },
      {
        method: 'PUT',
        path: '/v1/agencies/1',
        type: 'agency',
        id: 1,
        status: 401,
        idempotency_key: 'k3',
        error: 'invalid_token',
        reason: 'ERR_TOKEN_MISSING',
      },
      {
        method: 'DELETE',
        path: '/v1/agencies/1',
        type: 'agency',
        id: 1,
        status: 503,
        idempotency_key: 'k4',
        error: 'injected_fault',
        reason: null,
      },
      {
        method: 'POST',
        path: '/v1/notifications',
        type: 'notification',
        id: null,
        status: null,
        idempotency_key: 'k5',
        error: null,
        reason: null,
      },
    ])
    for (const entry of log) {
      expect(entry.at).toBeGreaterThanOrEqual(before)
    }
  })

  it('does not log control requests', async () => {
    await sandbox().control('GET', '/entities/agency')

    expect(await (await sandbox().control('GET', '/requests')).json()).toEqual([])
  })
})

describe('the entity listing', () => {
  it('lists the entities of a type by id, tombstones included', async () => {
    await sandbox().put('agency', agency({ id: 2 }))
    await sandbox().put('agency', agency())
    await sandbox().remove('agency', 2, 5)

    const list = (await (await sandbox().control('GET', '/entities/agency')).json()) as unknown[]
    expect(list).toMatchObject([
      { id: 1, deleted: false },
      { id: 2, deleted: true, version: 5 },
    ])
  })

  it('answers 404 for an unknown type or id', async () => {
    expect((await sandbox().control('GET', '/entities/hotel')).status).toBe(404)
    expect((await sandbox().control('GET', '/entities/agency/5')).status).toBe(404)
  })
})

describe('startSandbox', () => {
  it('gives each sandbox its own state', async () => {
    const other = await startSandbox({ port: 0, jwks: { keys: [] } })
    try {
      await sandbox().put('agency', agency())

      expect((await fetch(`${other.url}/_sandbox/entities/agency/1`)).status).toBe(404)
    } finally {
      await other.close()
    }
  })

  it('refuses a port out of range', async () => {
    await expect(startSandbox({ port: 70_000, jwks: { keys: [] } })).rejects.toThrow(TypeError)
  })

  it('listens on the loopback at the URL it reports', async () => {
    expect(sandbox().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await json(await fetch(`${sandbox().url}/_sandbox/faults`))).toEqual({ rules: [] })
  })
})
