import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { crmAdminUrl, prepareCrmDatabase } from '../../scripts/crm-database.ts'

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

/** An agency with two packages and one user, and another agency with a package and a user. */
interface Family {
  agency: number
  packages: [number, number]
  user: number
  otherPackage: number
  otherUser: number
}

/** Inserts a {@link Family} with fresh ids. */
async function agencyWithChildren(db: Connection = crm): Promise<Family> {
  const add = async (table: string, values: Record<string, unknown>) => {
    const [result] = await db.query<mysql.ResultSetHeader>('INSERT INTO ?? SET ?', [table, values])
    return result.insertId
  }
  const agency = await add('agencies', { name: 'Padre', slug: `padre-${next()}` })
  const other = await add('agencies', { name: 'Vecina', slug: `vecina-${next()}` })
  return {
    agency,
    packages: [
      await add('packages', { agency_id: agency, title: 'Cusco' }),
      await add('packages', { agency_id: agency, title: 'Puno' }),
    ],
    user: await add('users', { agency_id: agency, name: 'Ana', email: `hija${next()}@x.test` }),
    otherPackage: await add('packages', { agency_id: other, title: 'Arequipa' }),
    otherUser: await add('users', { agency_id: other, name: 'Eva', email: `otra${next()}@x.test` }),
  }
}

/** The outbox rows of a family, in outbox order, as `type:id action version`. */
async function familyOutbox(family: Family, db: Connection = crm): Promise<string[]> {
  const entities: [string, number][] = [
    ['agency', family.agency],
    ...family.packages.map((id): [string, number] => ['package', id]),
    ['user', family.user],
    ['package', family.otherPackage],
    ['user', family.otherUser],
  ]
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT entity_type, entity_id, action, version FROM sync_queue
     WHERE (entity_type, entity_id) IN (?) ORDER BY id`,
    [entities],
  )
  return rows.map((row) => `${row.entity_type}:${row.entity_id} ${row.action} ${row.version}`)
}

/** The rows the BEFORE DELETE trigger appends when `family.agency` is deleted. */
function childUpdates(family: Family, packageVersions: number[], userVersion: number): string[] {
  return [
    ...family.packages.map((id, i) => `package:${id} update ${packageVersions[i]}`),
    `user:${family.user} update ${userVersion}`,
  ]
}

describe('outbox triggers, deleting an agency', () => {
  it("records an update for each of the agency's packages and users, and only theirs", async () => {
    const family = await agencyWithChildren()
    await update('packages', family.packages[1], { title: 'Puno y Titicaca' })
    const before = await familyOutbox(family)

    await crm.query('DELETE FROM agencies WHERE id = ?', [family.agency])

    expect(await familyOutbox(family)).toEqual([
      ...before,
      // The package changed once already, so its version goes from 2 to 3.
      ...childUpdates(family, [2, 3], 2),
      `agency:${family.agency} delete 2`,
    ])
  })

  it('keeps the rows recorded before the children go when a cascade deletes them', async () => {
    const family = await agencyWithChildren()
    const before = await familyOutbox(family)

    await crm.beginTransaction()
    try {
      await crm.query('DELETE FROM agencies WHERE id = ?', [family.agency])
      // What ON DELETE CASCADE and ON DELETE SET NULL would do next, within the statement.
      await crm.query('DELETE FROM packages WHERE agency_id = ?', [family.agency])
      await crm.query('UPDATE users SET agency_id = NULL WHERE agency_id = ?', [family.agency])
      await crm.commit()
    } catch (error) {
      await crm.rollback()
      throw error
    }

    expect(await familyOutbox(family)).toEqual([
      ...before,
      ...childUpdates(family, [2, 2], 2),
      `agency:${family.agency} delete 2`,
      ...family.packages.map((id) => `package:${id} delete 3`),
      `user:${family.user} update 3`,
    ])
  })

  it('leaves the outbox as it was when the delete of the agency is rolled back', async () => {
    const family = await agencyWithChildren()
    const before = await familyOutbox(family)

    await crm.beginTransaction()
    await crm.query('DELETE FROM agencies WHERE id = ?', [family.agency])
    await crm.rollback()

    expect(await familyOutbox(family)).toEqual(before)
  })
})

/**
 * Real foreign keys, which the shared test database cannot have (other tests insert packages
 * of agencies that do not exist): a database of its own, created like the shared one by the
 * account test/setup/crm-databases.ts uses, with CASCADE on packages and SET NULL on users.
 */
describe('outbox triggers, deleting an agency whose children have foreign keys', () => {
  const adminUrl = crmAdminUrl
  const suffix = (process.env.TEST_DB_SUFFIX ?? '').replace(/[^a-z0-9_]/gi, '')
  const database = `red360_test_cascade${suffix}`
  const databaseUrl = inject('triggersCrmUrl').replace(/[^/]+$/, database)
  let db: Connection

  /** Gives `table.agency_id` a foreign key to agencies with `onDelete`, replacing any. */
  async function foreignKey(
    table: 'packages' | 'users',
    onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT',
  ): Promise<void> {
    const name = `${table}_agency_id_foreign`
    // MySQL has no DROP FOREIGN KEY IF EXISTS.
    const [existing] = await db.query<RowDataPacket[]>(
      `SELECT 1 FROM information_schema.TABLE_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?`,
      [table, name],
    )
    if (existing.length > 0) {
      await db.query('ALTER TABLE ?? DROP FOREIGN KEY ??', [table, name])
    }
    await db.query(
      `ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (agency_id) REFERENCES agencies (id)
       ON DELETE ${onDelete}`,
      [table, name],
    )
  }

  beforeAll(async () => {
    await prepareCrmDatabase({ adminUrl, databaseUrl, fresh: true, quiet: true })
    db = await mysql.createConnection(databaseUrl)
  }, 60_000)

  afterAll(async () => {
    await db?.end()
    const admin = await mysql.createConnection(adminUrl)
    await admin.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`)
    await admin.end()
  })

  it('records a change for each child the cascade deletes or detaches', async () => {
    await foreignKey('packages', 'CASCADE')
    await foreignKey('users', 'SET NULL')
    const family = await agencyWithChildren(db)
    const before = await familyOutbox(family, db)

    await db.query('DELETE FROM agencies WHERE id = ?', [family.agency])

    const [packages] = await db.query<RowDataPacket[]>('SELECT id FROM packages WHERE id IN (?)', [
      family.packages,
    ])
    const [users] = await db.query<RowDataPacket[]>('SELECT agency_id FROM users WHERE id = ?', [
      family.user,
    ])
    expect(packages).toEqual([])
    expect(users).toEqual([{ agency_id: null }])
    // The cascade itself fires no trigger: these update rows are all the outbox learns of it.
    expect(await familyOutbox(family, db)).toEqual([
      ...before,
      ...childUpdates(family, [2, 2], 2),
      `agency:${family.agency} delete 2`,
    ])
  })

  it('records nothing when RESTRICT refuses the delete', async () => {
    await foreignKey('packages', 'RESTRICT')
    await foreignKey('users', 'SET NULL')
    const family = await agencyWithChildren(db)
    const before = await familyOutbox(family, db)

    await expect(
      db.query('DELETE FROM agencies WHERE id = ?', [family.agency]),
    ).rejects.toMatchObject({ code: 'ER_ROW_IS_REFERENCED_2' })

    expect(await familyOutbox(family, db)).toEqual(before)
  })
})
