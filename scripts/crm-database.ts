/**
 * Creates a CRM database for local runs and tests: the database, a user with a password
 * (Hyperdrive's local mode refuses password-less users), the CRM tables from the test fixture
 * and the outbox migrations.
 */
import { readFile } from 'node:fs/promises'
import mysql from 'mysql2/promise'
import { parseCrmUrl } from './crm-url.ts'
import { runDbmate } from './dbmate.ts'

const fixtureSchema = new URL('../test/fixtures/crm-schema.sql', import.meta.url)

/**
 * The account that creates CRM databases and users for local runs and tests: CRM_ADMIN_URL,
 * by default the local MariaDB's root without a password.
 */
export const crmAdminUrl = process.env.CRM_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306/'

/** Where a CRM database for local runs and tests comes from. */
export interface PrepareCrmDatabaseOptions {
  /** A `mysql://` URL of an account allowed to create databases and users. */
  adminUrl: string
  /** The `mysql://` URL the worker will use; its user, password and database are created. */
  databaseUrl: string
  /** Drop the database first, so that the run starts from empty tables. Default false. */
  fresh?: boolean
  /** Keep dbmate's progress lines off the terminal (they still appear on failure). */
  quiet?: boolean
}

/** Creates (or brings up to date) the database named by `options.databaseUrl`. */
export async function prepareCrmDatabase(options: PrepareCrmDatabaseOptions): Promise<void> {
  const target = parseCrmUrl(options.databaseUrl, 'CRM_DATABASE_URL')
  const admin = await mysql.createConnection({ uri: options.adminUrl, multipleStatements: true })

  try {
    const database = mysql.escapeId(target.database)
    if (options.fresh) {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`)
    }

    await admin.query(`CREATE DATABASE IF NOT EXISTS ${database} CHARACTER SET utf8mb4`)
    await admin.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [
      target.user,
      target.password,
    ])
    await admin.query("ALTER USER ?@'%' IDENTIFIED BY ?", [target.user, target.password])
    await admin.query(`GRANT ALL PRIVILEGES ON ${database}.* TO ?@'%'`, [target.user])

    await admin.query(`USE ${database}`)
    await admin.query(await readFile(fixtureSchema, 'utf8'))
  } finally {
    await admin.end()
  }

  const result = await runDbmate(options.databaseUrl, 'up', { quiet: options.quiet ?? false })
  if (result.exitCode !== 0) {
    throw new Error(`dbmate up failed for ${target.database}:\n${result.output}`)
  }
}
