import { env } from 'cloudflare:workers'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import { withCrmConnection } from '../../src/crm/connection'

describe('the CRM_DB Hyperdrive binding', () => {
  it('reaches the MariaDB test database and sees the outbox the triggers fill', async () => {
    const rows = await withCrmConnection(env.CRM_DB, async (crm) => {
      const [result] = await crm.query(
        "INSERT INTO agencies (name, slug) VALUES ('Hyperdrive', CONCAT('hd-', UUID()))",
      )
      const id = (result as { insertId: number }).insertId
      const [outbox] = await crm.query<RowDataPacket[]>(
        "SELECT action FROM sync_queue WHERE entity_type = 'agency' AND entity_id = ?",
        [id],
      )
      return outbox
    })

    expect(rows.map((row) => row.action)).toEqual(['create'])
  })
})
