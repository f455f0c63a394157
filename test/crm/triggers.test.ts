import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

let crm: Connection

beforeAll(async () => {
  crm = await mysql.createConnection(inject('triggersCrmUrl'))
})

afterAll(async () => {
  await crm.end()
})

interface OutboxRow {
  action: string
  version: number
  status: string
}

async function outbox(entityType: string, entityId: number): Promise<OutboxRow[]> {
  const [rows] = await crm.query<RowDataPacket[]>(
    `SELECT action, version, status FROM sync_queue
     WHERE entity_type = ? AND entity_id = ? ORDER BY id`,
    [entityType, entityId],
  )
  return rows.map((row) => ({
    action: row.action,
    version: Number(row.version),
    status: row.status,
  }))
}

async function insert(table: string, values: Record<string, unknown>): Promise<number> {
  const [result] = await crm.query<mysql.ResultSetHeader>('INSERT INTO ?? SET ?', [table, values])
  return result.insertId
}

async function update(table: string, id: number, values: Record<string, unknown>): Promise<void> {
  await crm.query('UPDATE ?? SET ? WHERE id = ?', [table, values, id])
}

let unique = 0
function next(): number {
  unique += 1
  return unique
}

/** One CRM table as the triggers see it: how to make a row, and columns of each kind. */
interface EntityCase {
  table: 'agencies' | 'packages' | 'users'
  type: 'agency' | 'package' | 'user'
  row: () => Record<string, unknown>
  synced: Record<string, unknown>
  nullable: string
  unsynced: Record<string, unknown>
}

const entities: EntityCase[] = [
  {
    table: 'agencies',
    type: 'agency',
    row: () => ({ name: 'Viajes Sol', slug: `viajes-sol-${next()}`, status: 'activo' }),
    synced: { status: 'inactivo' },
    nullable: 'description',
    unsynced: { followers_count: 12, social_rating: 4.5, updated_at: '2026-01-01 10:00:00' },
  },
  {
    table: 'packages',
    type: 'package',
    row: () => ({ agency_id: 1, title: 'Cusco 5 días', status: 'active' }),
    synced: { title: 'Cusco 6 días' },
    nullable: 'details',
    unsynced: { likes_count: 3, comments_count: 2, views_count: 99, rating: 4.2 },
  },
  {
    table: 'users',
    type: 'user',
    row: () => ({ name: 'Ana', email: `ana${next()}@example.test`, role: 'agent' }),
    synced: { role: 'admin' },
    nullable: 'phone',
    unsynced: { password: 'hash', remember_token: 'token' },
  },
]

describe.each(entities)('outbox triggers on $table', (entity) => {
  it('records a create for an INSERT', async () => {
    const id = await insert(entity.table, entity.row())

    expect(await outbox(entity.type, id)).toEqual([
      { action: 'create', version: 1, status: 'pending' },
    ])
  })

  it('records an update when a synced column changes', async () => {
    const id = await insert(entity.table, entity.row())
    await update(entity.table, id, entity.synced)

    expect((await outbox(entity.type, id)).map((row) => [row.action, row.version])).toEqual([
      ['create', 1],
      ['update', 2],
    ])
  })

  it('records changes from NULL to text and from text to NULL', async () => {
    const id = await insert(entity.table, { ...entity.row(), [entity.nullable]: null })
    await update(entity.table, id, { [entity.nullable]: 'texto' })
    await update(entity.table, id, { [entity.nullable]: null })

    expect((await outbox(entity.type, id)).map((row) => row.action)).toEqual([
      'create',
      'update',
      'update',
    ])
  })

  it('records nothing when only unsynced columns change', async () => {
    const id = await insert(entity.table, entity.row())
    await update(entity.table, id, entity.unsynced)
    await update(entity.table, id, { synced_at: '2026-01-01 10:00:00' })

    expect((await outbox(entity.type, id)).map((row) => row.action)).toEqual(['create'])
  })

  it('records nothing when a synced column is set to the value it already has', async () => {
    const id = await insert(entity.table, { ...entity.row(), [entity.nullable]: 'igual' })
    await update(entity.table, id, { [entity.nullable]: 'igual' })

    expect((await outbox(entity.type, id)).map((row) => row.action)).toEqual(['create'])
  })

  it('records a delete for a DELETE', async () => {
    const id = await insert(entity.table, entity.row())
    await crm.query('DELETE FROM ?? WHERE id = ?', [entity.table, id])

    expect((await outbox(entity.type, id)).map((row) => [row.action, row.version])).toEqual([
      ['create', 1],
      ['delete', 2],
    ])
  })
})

describe('outbox triggers, edge cases', () => {
  it('records a change of letter case, which the table collation calls equal', async () => {
    const id = await insert('agencies', { name: 'Lima Tours', slug: `lima-${next()}` })
    await update('agencies', id, { name: 'LIMA TOURS' })

    expect((await outbox('agency', id)).map((row) => row.action)).toEqual(['create', 'update'])
  })

  it('records one row per changed row of a multi-row UPDATE', async () => {
    const agencyId = 900_000 + next()
    const ids = [
      await insert('packages', { agency_id: agencyId, title: 'A' }),
      await insert('packages', { agency_id: agencyId, title: 'B' }),
      await insert('packages', { agency_id: agencyId, title: 'C', status: 'inactive' }),
    ]
    await crm.query("UPDATE packages SET status = 'inactive' WHERE agency_id = ?", [agencyId])

    const actions = await Promise.all(ids.map(async (id) => (await outbox('package', id)).length))
    expect(actions).toEqual([2, 2, 1])
  })

  it('records a new primary key as a delete of the old id and a create of the new', async () => {
    const id = await insert('agencies', { name: 'Andes', slug: `andes-${next()}` })
    const newId = id + 1_000_000
    await update('agencies', id, { id: newId })

    expect((await outbox('agency', id)).map((row) => row.action)).toEqual(['create', 'delete'])
    expect((await outbox('agency', newId)).map((row) => row.action)).toEqual(['create'])
  })

  it('leaves no outbox row behind when the change is rolled back', async () => {
    const slug = `rollback-${next()}`
    await crm.beginTransaction()
    const id = await insert('agencies', { name: 'Nunca', slug })
    await crm.rollback()

    expect(await outbox('agency', id)).toEqual([])
  })

  it('counts versions per entity, not across entities', async () => {
    const first = await insert('agencies', { name: 'Uno', slug: `uno-${next()}` })
    const second = await insert('agencies', { name: 'Dos', slug: `dos-${next()}` })
    await update('agencies', first, { name: 'Uno bis' })

    expect((await outbox('agency', first)).map((row) => row.version)).toEqual([1, 2])
    expect((await outbox('agency', second)).map((row) => row.version)).toEqual([1])
  })
})
