import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { crmInsert, crmQuery, crmUpdate, outboxRows } from './support/crm'
import { d1Rows } from './support/d1'
import { eventually } from './support/eventually'
import { agencyRow as agency, agencyRepresentation } from './support/fixtures'
import { requireEntity, storedEntity } from './support/sandbox'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)

describe('CRM changes reach Red 360', () => {
  it('pushes a new agency with every field mapped', async () => {
    const id = await crmInsert('agencies', agency)

    await runMinuteCron()
    const stored = await eventually(() => requireEntity('agency', id))

    expect(stored.version).toBe(1)
    expect(stored.representation).toEqual(agencyRepresentation(id))
    await eventually(async () => {
      expect((await outboxRows('agency', id)).map((row) => row.status)).toEqual(['processed'])
    })
    const [row] = await crmQuery('SELECT synced_at FROM agencies WHERE id = ?', [id])
    expect(row?.synced_at).not.toBeNull()
    expect(await env.ENTITY_CACHE.get(`agency:${id}`, 'json')).toEqual(stored.representation)
    await eventually(async () => {
      const attempts = await d1Rows(
        'SELECT outcome, attempt FROM sync_attempts WHERE entity_id = ?',
        id,
      )
      expect(attempts).toEqual([{ outcome: 'pushed', attempt: 1 }])
    })
  })

  it('pushes an update with the next version', async () => {
    const id = await crmInsert('agencies', agency)
    await runMinuteCron()
    await eventually(() => requireEntity('agency', id))

    await crmUpdate('agencies', id, { status: 'inactivo', description: null })
    await runMinuteCron()

    const stored = await eventually(async () => {
      const entity = await requireEntity('agency', id)
      expect(entity.version).toBe(2)
      return entity
    })
    expect(stored.representation).toMatchObject({ active: false, verified: false, description: '' })
  })

  it('deletes an agency removed from the CRM', async () => {
    const id = await crmInsert('agencies', agency)
    await runMinuteCron()
    await eventually(() => requireEntity('agency', id))

    await crmQuery('DELETE FROM agencies WHERE id = ?', [id])
    await runMinuteCron()

    await eventually(async () => {
      expect(await storedEntity('agency', id)).toMatchObject({ deleted: true, version: 2 })
    })
    await eventually(async () => {
      expect(await env.ENTITY_CACHE.get(`agency:${id}`)).toBeNull()
    })
  })

  it('pushes a package with its lists and images, after its agency', async () => {
    const agencyId = await crmInsert('agencies', agency)
    const id = await crmInsert('packages', {
      agency_id: agencyId,
      title: 'Cusco mágico',
      details: '5 días',
      destination: 'Cusco',
      origin: 'Lima',
      include: '["Hotel","Desayuno"]',
      no_include: 'Propinas\nVuelos',
      main_image: 'https://cdn.example/cusco.jpg',
      gallery_images: '["https://cdn.example/1.jpg","https://cdn.example/2.jpg"]',
      status: 'active',
      featured: 1,
    })

    await runMinuteCron()
    const stored = await eventually(() => requireEntity('package', id))

    expect(stored.representation).toEqual({
      id,
      agency_id: agencyId,
      title: 'Cusco mágico',
      description: '5 días',
      destination: 'Cusco',
      origin: 'Lima',
      includes: ['Hotel', 'Desayuno'],
      excludes: ['Propinas', 'Vuelos'],
      images: [
        'https://cdn.example/cusco.jpg',
        'https://cdn.example/1.jpg',
        'https://cdn.example/2.jpg',
      ],
      status: 'active',
      featured: true,
      social_visibility: 'public',
      likes_count: 0,
      comments_count: 0,
      views_count: 0,
      rating: 0,
    })
  })

  it('pushes a package update and deletes a removed package', async () => {
    const agencyId = await crmInsert('agencies', agency)
    const id = await crmInsert('packages', { agency_id: agencyId, title: 'Lima colonial' })
    await runMinuteCron()
    await eventually(() => requireEntity('package', id))

    await crmUpdate('packages', id, { title: 'Lima colonial y moderna', status: 'inactive' })
    await runMinuteCron()
    await eventually(async () => {
      const stored = await requireEntity('package', id)
      expect(stored).toMatchObject({ version: 2 })
      expect(stored.representation).toMatchObject({
        title: 'Lima colonial y moderna',
        status: 'inactive',
      })
    })

    await crmQuery('DELETE FROM packages WHERE id = ?', [id])
    await runMinuteCron()
    await eventually(async () => {
      expect(await storedEntity('package', id)).toMatchObject({ deleted: true, version: 3 })
    })
  })

  it('pushes, updates and deletes a user', async () => {
    const agencyId = await crmInsert('agencies', agency)
    const id = await crmInsert('users', {
      agency_id: agencyId,
      name: 'Ana Quispe',
      email: 'ana@sol.example',
      phone: null,
      avatar: 'https://cdn.example/ana.png',
      role: 'agent',
      status: 'active',
      password: 'never-sent',
    })
    await runMinuteCron()

    const created = await eventually(() => requireEntity('user', id))
    expect(created.representation).toEqual({
      id,
      agency_id: agencyId,
      name: 'Ana Quispe',
      email: 'ana@sol.example',
      phone: '',
      avatar_url: 'https://cdn.example/ana.png',
      role: 'agent',
      active: true,
    })

    await crmUpdate('users', id, { role: 'admin' })
    await runMinuteCron()
    await eventually(async () => {
      expect((await requireEntity('user', id)).representation).toMatchObject({ role: 'admin' })
    })

    await crmQuery('DELETE FROM users WHERE id = ?', [id])
    await runMinuteCron()
    await eventually(async () => {
      expect(await storedEntity('user', id)).toMatchObject({ deleted: true })
    })
  })
})
