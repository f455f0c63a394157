import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { flushMetrics } from '../../src/metrics/flush'
import { type SocialMetricsItem, socialMetricsBody } from '../../src/metrics/schema'
import { storeMetrics } from '../../src/metrics/store'
import { crmInsert, crmQuery, crmUpdate } from './support/crm'
import { d1Rows } from './support/d1'
import { resetWorld } from './support/worker'

beforeEach(resetWorld)

/** An ISO time `minute` minutes after noon on 1 January 2026. */
function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString()
}

/** Parses reports the way the webhook does, then stores them. */
async function receive(...metrics: Record<string, unknown>[]): Promise<void> {
  const body = socialMetricsBody.parse({ metrics })
  await storeMetrics(env.SYNC_DB, body.metrics, Date.now())
}

async function insertAgency(values: Record<string, unknown> = {}): Promise<number> {
  const slug = `agency-${crypto.randomUUID()}`
  return crmInsert('agencies', { name: 'Viajes Sol', slug, ...values })
}

async function insertPackage(agencyId: number, values: Record<string, unknown> = {}) {
  return crmInsert('packages', { agency_id: agencyId, title: 'Cusco mágico', ...values })
}

async function crmRow(table: string, id: number): Promise<Record<string, unknown>> {
  const [row] = await crmQuery('SELECT * FROM ?? WHERE id = ?', [table, id])
  if (row === undefined) {
    throw new Error(`the CRM holds no ${table} ${id}`)
  }
  return row
}

async function outboxSize(): Promise<number> {
  const [row] = await crmQuery('SELECT COUNT(*) AS n FROM sync_queue')
  return Number(row?.n)
}

describe('storing social metrics', () => {
  it('keeps the newest report when an older one arrives after it', async () => {
    const agencyId = await insertAgency()
    const id = await insertPackage(agencyId)

    await receive({ entity_type: 'package', entity_id: id, as_of: at(10), likes_count: 20 })
    await receive({ entity_type: 'package', entity_id: id, as_of: at(5), likes_count: 7 })

    expect(
      await d1Rows('SELECT likes_count, as_of, dirty FROM social_metrics WHERE entity_id = ?', id),
    ).toEqual([{ likes_count: 20, as_of: Date.parse(at(10)), dirty: 1 }])
    await flushMetrics(env)
    expect(await crmRow('packages', id)).toMatchObject({ likes_count: 20 })
  })

  it('resolves reports about one entity within one body by as_of', async () => {
    const id = await insertAgency()

    await receive(
      { entity_type: 'agency', entity_id: id, as_of: at(10), followers_count: 300 },
      { entity_type: 'agency', entity_id: id, as_of: at(1), followers_count: 100 },
      { entity_type: 'agency', entity_id: id, as_of: '2026-01-01T12:05:00+02:00' },
    )

    expect(
      await d1Rows('SELECT followers_count, as_of FROM social_metrics WHERE entity_id = ?', id),
    ).toEqual([{ followers_count: 300, as_of: Date.parse(at(10)) }])
  })

  it('keeps a counter that a newer report omits', async () => {
    const agencyId = await insertAgency()
    const id = await insertPackage(agencyId, { views_count: 99 })

    await receive({
      entity_type: 'package',
      entity_id: id,
      as_of: at(1),
      likes_count: 10,
      comments_count: 3,
      rating: 4.5,
    })
    await receive({ entity_type: 'package', entity_id: id, as_of: at(2), likes_count: 12 })
    await flushMetrics(env)

    expect(await crmRow('packages', id)).toMatchObject({
      likes_count: 12,
      comments_count: 3,
      rating: 4.5,
      views_count: 99,
    })
  })
})

describe('flushing social metrics to the CRM', () => {
  it('writes agencies and packages, rounding ratings to 2 decimals', async () => {
    const agencyId = await insertAgency()
    const packageId = await insertPackage(agencyId)

    await receive(
      {
        entity_type: 'agency',
        entity_id: agencyId,
        as_of: at(1),
        followers_count: 1500,
        social_rating: 4.575,
      },
      { entity_type: 'package', entity_id: packageId, as_of: at(1), rating: 3.334 },
    )

    expect(await flushMetrics(env)).toEqual({ agencies: 1, packages: 1 })
    expect(await crmRow('agencies', agencyId)).toMatchObject({
      followers_count: 1500,
      social_rating: 4.58,
    })
    expect(await crmRow('packages', packageId)).toMatchObject({ rating: 3.33, likes_count: 0 })
    expect(await d1Rows('SELECT dirty FROM social_metrics WHERE flushed_at IS NULL')).toEqual([])
  })

  it('writes nothing when nothing is dirty', async () => {
    const id = await insertAgency()
    await receive({ entity_type: 'agency', entity_id: id, as_of: at(1), followers_count: 5 })
    await flushMetrics(env)
    await crmUpdate('agencies', id, { followers_count: 0 })

    expect(await flushMetrics(env)).toEqual({ agencies: 0, packages: 0 })
    expect(await crmRow('agencies', id)).toMatchObject({ followers_count: 0 })
  })

  it('adds no outbox row, because the triggers ignore the counters', async () => {
    const agencyId = await insertAgency()
    const packageId = await insertPackage(agencyId)
    const before = await outboxSize()

    await receive(
      { entity_type: 'agency', entity_id: agencyId, as_of: at(1), followers_count: 8 },
      { entity_type: 'package', entity_id: packageId, as_of: at(1), views_count: 40 },
    )
    await flushMetrics(env)

    expect(await crmRow('packages', packageId)).toMatchObject({ views_count: 40 })
    expect(await outboxSize()).toBe(before)
  })

  it('writes 150 packages, across more than one chunk', async () => {
    const agencyId = await insertAgency()
    await crmQuery('INSERT INTO packages (agency_id, title) VALUES ?', [
      Array.from({ length: 150 }, (_, i) => [agencyId, `Paquete ${i}`]),
    ])
    const ids = (await crmQuery('SELECT id FROM packages ORDER BY id')).map((row) => row.id)
    const reports = ids.map((id, i) => ({
      entity_type: 'package',
      entity_id: id,
      as_of: at(1),
      likes_count: i,
      comments_count: i * 2,
      // Every other report leaves views out, so the chunks mix null and set values.
      ...(i % 2 === 0 ? { views_count: 1000 + i } : {}),
      rating: (i % 5) + 0.25,
    }))

    await receive(...reports)
    expect(await flushMetrics(env)).toEqual({ agencies: 0, packages: 150 })

    const rows = await crmQuery(
      'SELECT likes_count, comments_count, views_count, rating FROM packages ORDER BY id',
    )
    expect(rows.map((row) => ({ ...row }))).toEqual(
      ids.map((_, i) => ({
        likes_count: i,
        comments_count: i * 2,
        views_count: i % 2 === 0 ? 1000 + i : 0,
        rating: (i % 5) + 0.25,
      })),
    )
  })

  it('flushes at most `limit` rows and leaves the rest for the next run', async () => {
    const id = await insertAgency()
    await receive(
      { entity_type: 'agency', entity_id: id, as_of: at(1), followers_count: 1 },
      { entity_type: 'agency', entity_id: id + 1000, as_of: at(1), followers_count: 2 },
    )

    expect(await flushMetrics(env, 1)).toEqual({ agencies: 1, packages: 0 })
    expect(await flushMetrics(env, 1)).toEqual({ agencies: 1, packages: 0 })
    expect(await flushMetrics(env, 1)).toEqual({ agencies: 0, packages: 0 })
  })

  it('skips ids the CRM does not have without failing', async () => {
    const id = await insertAgency()
    const unknown = id + 1000

    await receive(
      { entity_type: 'agency', entity_id: unknown, as_of: at(1), followers_count: 9 },
      { entity_type: 'agency', entity_id: id, as_of: at(1), followers_count: 7 },
      { entity_type: 'package', entity_id: unknown, as_of: at(1), likes_count: 3 },
    )

    expect(await flushMetrics(env)).toEqual({ agencies: 2, packages: 1 })
    expect(await crmRow('agencies', id)).toMatchObject({ followers_count: 7 })
    expect(await crmQuery('SELECT id FROM agencies WHERE id = ?', [unknown])).toEqual([])
    expect(await d1Rows('SELECT entity_id FROM social_metrics WHERE dirty = 1')).toEqual([])
  })

  it('leaves a row dirty when a newer report arrives during the flush', async () => {
    const id = await insertAgency()
    await receive({ entity_type: 'agency', entity_id: id, as_of: at(1), followers_count: 1 })
    const newer = { entity_type: 'agency', entity_id: id, as_of: at(2), followers_count: 2 }
    const syncDb = beforeFirst(env.SYNC_DB, /^update "social_metrics"/i, () => receive(newer))

    await flushMetrics({ ...env, SYNC_DB: syncDb })

    expect(await crmRow('agencies', id)).toMatchObject({ followers_count: 1 })
    expect(
      await d1Rows('SELECT followers_count, dirty FROM social_metrics WHERE entity_id = ?', id),
    ).toEqual([{ followers_count: 2, dirty: 1 }])
    await flushMetrics(env)
    expect(await crmRow('agencies', id)).toMatchObject({ followers_count: 2 })
  })
})

/**
 * A view of `db` that runs `hook` once, just before the first statement whose SQL matches
 * `pattern` executes: a report arriving at that exact moment.
 */
function beforeFirst(db: D1Database, pattern: RegExp, hook: () => Promise<void>): D1Database {
  let pending = true
  const runs = new Set<PropertyKey>(['run', 'all', 'raw', 'first'])

  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, property) {
        const value = Reflect.get(target, property, target)
        if (typeof value !== 'function') {
          return value
        }
        if (property === 'bind') {
          return (...values: unknown[]) => wrap(value.apply(target, values))
        }
        if (!runs.has(property)) {
          return value.bind(target)
        }
        return async (...args: unknown[]) => {
          if (pending) {
            pending = false
            await hook()
          }
          return value.apply(target, args)
        }
      },
    })

  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (property === 'prepare') {
        return (query: string) => {
          const statement = target.prepare(query)
          return pattern.test(query) ? wrap(statement) : statement
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

describe('the social metrics body', () => {
  const agency = { entity_type: 'agency', entity_id: 1, as_of: at(1) }
  const parses = (body: unknown) => socialMetricsBody.safeParse(body).success

  it('accepts reports with any subset of their counters', () => {
    const item: SocialMetricsItem = { ...agency, entity_type: 'agency', social_rating: 5 }
    expect(parses({ metrics: [item, { ...agency, as_of: '2026-01-01T12:00:00+05:30' }] })).toBe(
      true,
    )
    expect(
      parses({
        metrics: [{ entity_type: 'package', entity_id: 2, as_of: at(1), likes_count: 0 }],
      }),
    ).toBe(true)
  })

  it('accepts 500 reports but not 0 or 501', () => {
    expect(parses({ metrics: Array(500).fill(agency) })).toBe(true)
    expect(parses({ metrics: [] })).toBe(false)
    expect(parses({ metrics: Array(501).fill(agency) })).toBe(false)
  })

  it.each([
    ['a negative counter', { ...agency, followers_count: -1 }],
    ['a fractional counter', { ...agency, followers_count: 1.5 }],
    ['a rating above 5', { ...agency, social_rating: 5.1 }],
    ['a package counter on an agency', { ...agency, likes_count: 3 }],
    ['an agency counter on a package', { ...agency, entity_type: 'package', social_rating: 3 }],
    ['an unknown field', { ...agency, follower_count: 3 }],
    ['an unknown entity type', { ...agency, entity_type: 'user' }],
    ['an entity id of 0', { ...agency, entity_id: 0 }],
    ['a missing as_of', { entity_type: 'agency', entity_id: 1 }],
    ['an as_of that is not ISO 8601', { ...agency, as_of: 'Thu, 01 Jan 2026 12:00:00 GMT' }],
    ['an as_of without a time zone', { ...agency, as_of: '2026-01-01T12:00:00' }],
  ])('refuses %s', (_, item) => {
    expect(parses({ metrics: [item] })).toBe(false)
  })

  it.each([
    ['an array', [agency]],
    ['a string', JSON.stringify({ metrics: [agency] })],
    ['an unknown top-level field', { metrics: [agency], extra: true }],
  ])('refuses %s instead of the object', (_, body) => {
    expect(parses(body)).toBe(false)
  })
})
