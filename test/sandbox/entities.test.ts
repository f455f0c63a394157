import { describe, expect, it } from 'vitest'
import { agency, json, travelPackage, useTestSandbox } from './support.ts'

const sandbox = useTestSandbox()

async function stored(type: string, id: number): Promise<Record<string, unknown>> {
  return json(await sandbox().control('GET', `/entities/${type}/${id}`))
}

describe('PUT', () => {
  it('creates a new entity with 201, storing it without its version', async () => {
    const response = await sandbox().put('agency', agency())

    expect(response.status).toBe(201)
    expect(await json(response)).toEqual({ id: 1, version: 1, status: 'created' })
    const { version, ...representation } = agency()
    expect(await stored('agency', 1)).toEqual({
      type: 'agency',
      id: 1,
      version,
      deleted: false,
      representation,
      writes: 1,
    })
  })

  it('updates with a higher version', async () => {
    await sandbox().put('agency', agency())
    const response = await sandbox().put('agency', agency({ name: 'Andes Trips', version: 2 }))

    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({ id: 1, version: 2, status: 'updated' })
    expect(await stored('agency', 1)).toMatchObject({
      version: 2,
      representation: { name: 'Andes Trips' },
      writes: 2,
    })
  })

  it('answers unchanged to the same version and keeps the stored value', async () => {
    await sandbox().put('agency', agency())
    const response = await sandbox().put('agency', agency({ name: 'Other name' }))

    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({ id: 1, version: 1, status: 'unchanged' })
    expect(await stored('agency', 1)).toMatchObject({
      representation: { name: 'Andes Travel' },
      writes: 1,
    })
  })

  it('refuses a PUT older than the stored version with the current version', async () => {
    await sandbox().put('agency', agency({ version: 5 }))
    const response = await sandbox().put('agency', agency({ name: 'Late', version: 4 }))

    expect(response.status).toBe(409)
    expect(await json(response)).toMatchObject({ error: 'version_conflict', current_version: 5 })
    expect(await stored('agency', 1)).toMatchObject({ representation: { name: 'Andes Travel' } })
  })

  it('keeps the stored social counters on an update', async () => {
    await sandbox().put('agency', agency())
    await sandbox().put('package', travelPackage())
    await sandbox().put(
      'package',
      travelPackage({
        title: 'New',
        likes_count: 0,
        comments_count: 0,
        views_count: 0,
        rating: 1,
        version: 2,
      }),
    )
    await sandbox().put('agency', agency({ followers_count: 0, social_rating: 0, version: 2 }))

    expect(await stored('package', 10)).toMatchObject({
      representation: {
        title: 'New',
        likes_count: 7,
        comments_count: 2,
        views_count: 300,
        rating: 4.8,
      },
    })
    expect(await stored('agency', 1)).toMatchObject({
      representation: { followers_count: 120, social_rating: 4.5 },
    })
  })

  it('refuses a package of an agency it does not hold with 424 naming the agency', async () => {
    const response = await sandbox().put('package', travelPackage({ agency_id: 99 }))

    expect(response.status).toBe(424)
    expect(await json(response)).toMatchObject({
      error: 'parent_missing',
      parent: { type: 'agency', id: 99 },
    })
    expect((await sandbox().control('GET', '/entities/package/10')).status).toBe(404)
  })

  it('refuses a package of a deleted agency', async () => {
    await sandbox().put('agency', agency())
    await sandbox().remove('agency', 1, 2)

    expect((await sandbox().put('package', travelPackage())).status).toBe(424)
  })

  it('accepts a user without an agency', async () => {
    const user = {
      id: 3,
      agency_id: null,
      name: 'Rosa',
      email: 'rosa@andes.example',
      phone: '',
      avatar_url: null,
      role: 'admin',
      active: true,
      version: 1,
    }

    expect((await sandbox().put('user', user)).status).toBe(201)
  })

  it('refuses an unknown field with 422 naming it', async () => {
    const response = await sandbox().put('agency', JSON.stringify({ ...agency(), fax: '555' }))

    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({
      error: 'validation_failed',
      issues: [{ path: 'fax', message: 'Unknown field.' }],
    })
  })

  it('refuses a body whose id is not the id in the path', async () => {
    const headers = {
      Authorization: `Bearer ${await sandbox().token()}`,
      'Idempotency-Key': 'mismatch',
      'Content-Type': 'application/json',
    }
    const response = await fetch(`${sandbox().url}/v1/agencies/2`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(agency()),
    })

    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({
      error: 'validation_failed',
      issues: [{ path: 'id' }],
    })
  })

  it('answers 415 to a body not sent as JSON', async () => {
    const response = await fetch(`${sandbox().url}/v1/agencies/1`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${await sandbox().token()}`,
        'Idempotency-Key': 'text',
        'Content-Type': 'text/plain',
      },
      body: JSON.stringify(agency()),
    })

    expect(response.status).toBe(415)
    expect(await json(response)).toMatchObject({ error: 'unsupported_media_type' })
  })

  it('answers 400 invalid_json to a body that is not JSON', async () => {
    const response = await sandbox().put('agency', '{"id": 1,')

    expect(response.status).toBe(400)
    expect(await json(response)).toMatchObject({ error: 'invalid_json' })
  })
})

describe('DELETE', () => {
  it('deletes and keeps a tombstone at the given version', async () => {
    await sandbox().put('agency', agency())
    const response = await sandbox().remove('agency', 1, 2)

    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({ id: 1, version: 2, status: 'deleted' })
    expect(await stored('agency', 1)).toMatchObject({
      version: 2,
      deleted: true,
      representation: null,
    })
  })

  it('refuses a PUT older than a tombstone, and one at its version', async () => {
    await sandbox().put('agency', agency())
    await sandbox().remove('agency', 1, 3)

    for (const version of [2, 3]) {
      const response = await sandbox().put('agency', agency({ version }))
      expect(response.status).toBe(409)
      expect(await json(response)).toMatchObject({ current_version: 3 })
    }
    expect(await stored('agency', 1)).toMatchObject({ deleted: true })
  })

  it('recreates a deleted entity from a PUT newer than its tombstone', async () => {
    await sandbox().put('agency', agency())
    await sandbox().remove('agency', 1, 2)
    const response = await sandbox().put('agency', agency({ followers_count: 0, version: 3 }))

    expect(response.status).toBe(201)
    expect(await stored('agency', 1)).toMatchObject({
      deleted: false,
      representation: { followers_count: 0 },
    })
  })

  it('answers 200 to a DELETE of a deleted entity at its version or later', async () => {
    await sandbox().put('agency', agency())
    await sandbox().remove('agency', 1, 2)

    expect((await sandbox().remove('agency', 1, 2)).status).toBe(200)
    expect((await sandbox().remove('agency', 1, 1)).status).toBe(409)
  })

  it('answers 404 for an id it never stored', async () => {
    const response = await sandbox().remove('agency', 42, 1)

    expect(response.status).toBe(404)
    expect(await json(response)).toMatchObject({ error: 'not_found' })
  })

  it('refuses a DELETE older than the stored version', async () => {
    await sandbox().put('agency', agency({ version: 4 }))
    const response = await sandbox().remove('agency', 1, 3)

    expect(response.status).toBe(409)
    expect(await json(response)).toMatchObject({ error: 'version_conflict', current_version: 4 })
    expect(await stored('agency', 1)).toMatchObject({ deleted: false })
  })

  it('requires a non-negative integer version', async () => {
    await sandbox().put('agency', agency())

    for (const version of ['', '-1', '1.5', 'two']) {
      expect((await sandbox().remove('agency', 1, version)).status).toBe(422)
    }
    expect((await fetch(`${sandbox().url}/v1/agencies/1`, { method: 'DELETE' })).status).toBe(401)
  })
})

describe('POST /v1/notifications', () => {
  it('accepts a notification with 202 and keeps it', async () => {
    const notification = {
      event: 'package.updated',
      package_id: 10,
      agency_id: 1,
      version: 2,
      changed: ['title'],
    }
    const response = await sandbox().notify(notification)

    expect(response.status).toBe(202)
    expect(await json(response)).toEqual({ status: 'accepted' })
    expect(await (await sandbox().control('GET', '/notifications')).json()).toEqual([notification])
  })

  it('refuses a notification of an unknown event', async () => {
    const response = await sandbox().notify({
      event: 'package.deleted',
      package_id: 10,
      agency_id: 1,
      version: 2,
      changed: [],
    })

    expect(response.status).toBe(422)
  })
})
