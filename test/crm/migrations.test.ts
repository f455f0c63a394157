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

  it('install an AFTER INSERT, UPDATE and DELETE trigger on each CRM table', async () => {
    const rows = await query(`
      SELECT EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event
      FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'red360\\_%'
      ORDER BY tbl, event`)

    expect(rows.map((row) => `${row.timing} ${row.event} ON ${row.tbl}`)).toEqual(
      ['agencies', 'packages', 'users'].flatMap((table) =>
        ['DELETE', 'INSERT', 'UPDATE'].map((event) => `AFTER ${event} ON ${table}`),
      ),
    )
  })

  it('add synced_at where the CRM table lacks it', async () => {
    const rows = await query(`
      SELECT TABLE_NAME AS name FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'synced_at'
      ORDER BY name`)

    expect(rows.map((row) => row.name)).toEqual(['agencies', 'packages', 'users'])
  })
})
