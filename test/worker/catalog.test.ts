import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CATALOG_CACHE_CONTROL, catalogRoutes } from '../../src/api/catalog-routes'
import type { AuthEnv } from '../../src/auth/require-scope'
import { mintToken } from '../../src/auth/tokens'
import { cacheRepresentation } from '../../src/cache/entity-cache'
import { entityCacheKey } from '../../src/cache/keys'
import { FALLBACK_TTL_SECONDS } from '../../src/cache/read-through'
import { crmInsert, crmQuery } from './support/crm'
import { eventually } from './support/eventually'
import { agencyRepresentation, agencyRow } from './support/fixtures'
import { resetWorld, runMinuteCron } from './support/worker'

beforeEach(resetWorld)
beforeEach(clearEntityCache)

/** Empties ENTITY_CACHE, which resetWorld leaves alone: an earlier test's entries would hit. */
async function clearEntityCache(): Promise<void> {
  const { keys } = await env.ENTITY_CACHE.list()
  await Promise.all(keys.map((key) => env.ENTITY_CACHE.delete(key.name)))
}

const app = new Hono<AuthEnv>().route('/api', catalogRoutes)

let readerToken: string
beforeAll(async () => {
  ;({ token: readerToken } = await mintToken(env.API_TOKEN_SECRET, 'red360', 1))
})

/** A GET through the catalog routes, with the Red 360 token unless `headers` says otherwise. */
function get(path: string, headers: Record<string, string> = {}, bindings: Env = env) {
  return app.request(
    path,
    { headers: { authorization: `Bearer ${readerToken}`, ...headers } },
    bindings,
  )
}

/** The bindings with a CRM that does not answer: any CRM read fails. */
const crmDown = (): Env => ({ ...env, CRM_DB: env.CRM_DB_UNREACHABLE })

describe('GET /api/agencies/{id}', () => {
  it('answers from KV without reading the CRM', async () => {
    const id = await crmInsert('agencies', agencyRow)
    const cached = { ...agencyRepresentation(id), name: 'Viajes Sol (as KV holds it)' }
    await env.ENTITY_CACHE.put(entityCacheKey('agency', id), JSON.stringify(cached))

    const response = await get(`/api/agencies/${id}`)

    expect(response.status).toBe(200)
    expect(response.headers.get('x-cache')).toBe('hit')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual(cached)
  })

  it('answers from KV while the CRM is down', async () => {
    await cacheRepresentation(env.ENTITY_CACHE, 'agency', agencyRepresentation(900001))

    const response = await get('/api/agencies/900001', {}, crmDown())

    expect(response.status).toBe(200)
    expect(response.headers.get('x-cache')).toBe('hit')
  })

  it('reads the CRM on a miss, answers, and fills KV for an hour', async () => {
    const id = await crmInsert('agencies', agencyRow)

    const miss = await get(`/api/agencies/${id}`)

    expect(miss.status).toBe(200)
    expect(miss.headers.get('x-cache')).toBe('miss')
    expect(await miss.json()).toEqual(agencyRepresentation(id))
    const key = entityCacheKey('agency', id)
    expect(await env.ENTITY_CACHE.get(key, 'json')).toEqual(agencyRepresentation(id))
    const { keys } = await env.ENTITY_CACHE.list({ prefix: key })
    const expiresIn = (keys[0]?.expiration ?? 0) - Date.now() / 1000
    expect(expiresIn).toBeGreaterThan(FALLBACK_TTL_SECONDS - 60)
    expect(expiresIn).toBeLessThanOrEqual(FALLBACK_TTL_SECONDS)

    const hit = await get(`/api/agencies/${id}`)

    expect(hit.headers.get('x-cache')).toBe('hit')
    expect(await hit.json()).toEqual(agencyRepresentation(id))
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'))
  })

  it('answers 404, not cacheable, for an id neither KV nor the CRM holds', async () => {
    const response = await get('/api/agencies/987654321')

    expect(response.status).toBe(404)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-cache')).toBe('miss')
    expect(await response.json()).toMatchObject({ error: 'not_found' })
    expect(await env.ENTITY_CACHE.get(entityCacheKey('agency', 987654321))).toBeNull()
  })

  it('answers 404 once the sync deleted the agency and evicted it from KV', async () => {
    const id = await crmInsert('agencies', agencyRow)
    await runMinuteCron()
    await eventually(async () => {
      expect(await env.ENTITY_CACHE.get(entityCacheKey('agency', id))).not.toBeNull()
    })
    expect((await get(`/api/agencies/${id}`)).headers.get('x-cache')).toBe('hit')

    await crmQuery('DELETE FROM agencies WHERE id = ?', [id])
    await runMinuteCron()
    await eventually(async () => {
      expect(await env.ENTITY_CACHE.get(entityCacheKey('agency', id))).toBeNull()
    })

    const response = await get(`/api/agencies/${id}`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'not_found' })
  })

  it('answers 404, caching nothing, for a CRM row that cannot be mapped', async () => {
    const id = await crmInsert('agencies', { ...agencyRow, name: '' })

    const response = await get(`/api/agencies/${id}`)

    expect(response.status).toBe(404)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ error: 'not_found' })
    expect(await env.ENTITY_CACHE.get(entityCacheKey('agency', id))).toBeNull()
  })

  it('answers 503 with Retry-After when KV misses and the CRM is down', async () => {
    const response = await get('/api/agencies/900002', {}, crmDown())

    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('30')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ error: 'unavailable' })
  })
})

describe('GET /api/packages/{id}', () => {
  it('reads a package from the CRM on a miss, then from KV', async () => {
    const agencyId = await crmInsert('agencies', agencyRow)
    const id = await crmInsert('packages', {
      agency_id: agencyId,
      title: 'Cusco mágico',
      details: '5 días',
      destination: 'Cusco',
      origin: 'Lima',
      include: '["Hotel","Desayuno"]',
      no_include: 'Propinas\nVuelos',
      main_image: 'https://cdn.example/cusco.jpg',
      status: 'active',
      featured: 1,
    })
    const expected = {
      id,
      agency_id: agencyId,
      title: 'Cusco mágico',
      description: '5 días',
      destination: 'Cusco',
      origin: 'Lima',
      includes: ['Hotel', 'Desayuno'],
      excludes: ['Propinas', 'Vuelos'],
      images: ['https://cdn.example/cusco.jpg'],
      status: 'active',
      featured: true,
      social_visibility: 'public',
      likes_count: 0,
      comments_count: 0,
      views_count: 0,
      rating: 0,
    }

    const miss = await get(`/api/packages/${id}`)
    expect(miss.status).toBe(200)
    expect(miss.headers.get('x-cache')).toBe('miss')
    expect(await miss.json()).toEqual(expected)

    const hit = await get(`/api/packages/${id}`)
    expect(hit.headers.get('x-cache')).toBe('hit')
    expect(await hit.json()).toEqual(expected)
  })
})

describe('conditional requests and caching', () => {
  it('sends a strong ETag and Cache-Control; a matching tag gets 304 without a body', async () => {
    const id = await crmInsert('agencies', agencyRow)
    const first = await get(`/api/agencies/${id}`)
    const etag = first.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
    expect(first.headers.get('cache-control')).toBe(CATALOG_CACHE_CONTROL)

    const again = await get(`/api/agencies/${id}`, { 'if-none-match': etag })

    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    expect(again.headers.get('cache-control')).toBe(CATALOG_CACHE_CONTROL)
  })

  it('matches a tag in a list, a weak tag, and *', async () => {
    const id = await crmInsert('agencies', agencyRow)
    const etag = (await get(`/api/agencies/${id}`)).headers.get('etag') ?? ''

    for (const header of [`"a,b", ${etag}`, `W/${etag}`, '*']) {
      const response = await get(`/api/agencies/${id}`, { 'if-none-match': header })
      expect(response.status, header).toBe(304)
    }
    const other = await get(`/api/agencies/${id}`, { 'if-none-match': '"0123", W/"4567"' })
    expect(other.status).toBe(200)
  })

  it('gives a changed agency a new ETag and answers it in full', async () => {
    const id = await crmInsert('agencies', agencyRow)
    const etag = (await get(`/api/agencies/${id}`)).headers.get('etag') ?? ''
    const changed = { ...agencyRepresentation(id), description: 'Agencia en Cusco' }
    await cacheRepresentation(env.ENTITY_CACHE, 'agency', changed)

    const response = await get(`/api/agencies/${id}`, { 'if-none-match': etag })

    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).not.toBe(etag)
    expect(await response.json()).toEqual(changed)
  })
})

describe('authentication and validation', () => {
  it('answers 401 without a token', async () => {
    const response = await app.request('/api/agencies/1', {}, env)

    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'invalid_token' })
  })

  it('answers 403 to a CRM token, which lacks read:catalog', async () => {
    const { token } = await mintToken(env.API_TOKEN_SECRET, 'crm', 1)

    const response = await get('/api/packages/1', { authorization: `Bearer ${token}` })

    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({
      error: 'insufficient_scope',
      scope: 'read:catalog',
    })
  })

  it('answers 422 for an id that is not a positive whole number', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '1e3', String(2 ** 53)]) {
      const response = await get(`/api/agencies/${id}`)
      expect(response.status, id).toBe(422)
      expect(await response.json()).toMatchObject({ error: 'validation_failed' })
    }
  })
})

describe('the OpenAPI document', () => {
  it('describes both routes, their bearer security and the named representations', () => {
    const document = catalogRoutes.getOpenAPIDocument({
      openapi: '3.0.0',
      info: { title: 'catalog', version: '1' },
    })

    expect(Object.keys(document.paths ?? {}).sort()).toEqual(['/agencies/{id}', '/packages/{id}'])
    const agency = document.paths?.['/agencies/{id}']?.get
    expect(agency?.security).toEqual([{ bearerAuth: [] }])
    expect(agency?.parameters).toEqual([
      expect.objectContaining({
        name: 'id',
        in: 'path',
        schema: expect.objectContaining({ type: 'integer' }),
      }),
    ])
    expect(Object.keys(agency?.responses ?? {}).sort()).toEqual(
      ['200', '304', '401', '403', '404', '422', '503'].sort(),
    )
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Agency', 'Package']),
    )
  })
})
