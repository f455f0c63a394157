import mysql, { type RowDataPacket } from 'mysql2/promise'
import { describe, expect, inject, it } from 'vitest'
import { runDbmate } from '../../scripts/dbmate.ts'

async function query(sql: string): Promise<RowDataPacket[]> {
  const crm = await mysql.createConnection(inject('triggersCrmUrl'))
  try {
    const [rows] = await crm.query<RowDataPacket[]>(sql)
    return rows
  } finally {
    await crm.end()
  }
}

describe('CRM outbox migrations', () => {
  it('apply nothing when run a second time', async () => {
    const result = await runDbmate(inject('triggersCrmUrl'), 'up', { quiet: true })

    expect(result.exitCode).toBe(0)
    expect(result.output).not.toContain('Applying')
  })

  it('install AFTER INSERT, UPDATE and DELETE triggers and BEFORE DELETE on agencies', async () => {
    const rows = await query(`
      SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing,
        EVENT_MANIPULATION AS event
      FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'red360\\_%'
      ORDER BY tbl, event, timing`)

    expect(rows.map((row) => `${row.timing} ${row.event} ON ${row.tbl}: ${row.name}`)).toEqual([
      'AFTER DELETE ON agencies: red360_agencies_after_delete',
      'BEFORE DELETE ON agencies: red360_agencies_before_delete',
      'AFTER INSERT ON agencies: red360_agencies_after_insert',
      'AFTER UPDATE ON agencies: red360_agencies_after_update',
      'AFTER DELETE ON packages: red360_packages_after_delete',
      'AFTER INSERT ON packages: red360_packages_after_insert',
      'AFTER UPDATE ON packages: red360_packages_after_update',
      'AFTER DELETE ON users: red360_users_after_delete',
      'AFTER INSERT ON users: red360_users_after_insert',
      'AFTER UPDATE ON users: red360_users_after_update',
    ])
  })

  it('add synced_at where the CRM table lacks it', async () => {
    const rows = await query(`
      SELECT TABLE_NAME AS name FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'synced_at'
      ORDER BY name`)

    expect(rows.map((row) => row.name)).toEqual(['agencies', 'packages', 'users'])
  })
})
