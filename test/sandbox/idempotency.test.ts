import { describe, expect, it } from 'vitest'
import { agency, json, travelPackage, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

describe('Idempotency-Key', () => {
  it('replays the first answer to a repeated request without applying it again', async () => {
    const first = await sandbox().put('agency', agency(), { key: 'write-1' })
    const repeat = await sandbox().put('agency', agency(), { key: 'write-1' })

    expect(repeat.status).toBe(first.status)
    expect(await json(repeat)).toEqual(await json(first))
    expect(repeat.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(await sandbox().control('GET', '/entities/agency/1'))).toMatchObject({
      writes: 1,
    })
  })

  it('handles a refused request afresh when it comes again under its key', async () => {
    const orphan = travelPackage()
    const first = await sandbox().put('package', orphan, { key: 'orphan' })
    await sandbox().put('agency', agency({ version: 1 }))
    const repeat = await sandbox().put('package', orphan, { key: 'orphan' })

    expect(first.status).toBe(424)
    expect(repeat.status).toBe(201)
    expect(repeat.headers.get('idempotent-replayed')).toBeNull()
  })

  it('refuses the same key with another body', async () => {
    await sandbox().put('agency', agency(), { key: 'write-1' })
    const response = await sandbox().put('agency', agency({ version: 2 }), { key: 'write-1' })

    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({ error: 'idempotency_key_reused' })
    expect(await json(await sandbox().control('GET', '/entities/agency/1'))).toMatchObject({
      version: 1,
    })
  })

  it('refuses the same key on another path', async () => {
    await sandbox().put('agency', agency(), { key: 'write-1' })
    const response = await sandbox().remove('agency', 1, 2, { key: 'write-1' })

    expect(response.status).toBe(422)
  })

  it('requires the header on every write', async () => {
    const put = await sandbox().put('agency', agency(), { key: null })
    const remove = await sandbox().remove('agency', 1, 1, { key: null })
    const notify = await sandbox().notify({}, { key: null })

    for (const response of [put, remove, notify]) {
      expect(response.status).toBe(400)
      expect(await json(response)).toMatchObject({ error: 'idempotency_key_required' })
    }
  })

  it('forgets keys on reset', async () => {
    await sandbox().put('agency', agency(), { key: 'write-1' })
    await sandbox().control('POST', '/reset')

    expect((await sandbox().put('agency', agency({ version: 2 }), { key: 'write-1' })).status).toBe(
      201,
    )
  })
})
