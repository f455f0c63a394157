/**
 * Vitest global setup: creates the MariaDB databases the tests talk to, from scratch on every
 * run, and provides their URLs to the test projects.
 *
 * CRM_ADMIN_URL names an account allowed to create databases and users
 * (default mysql://root@127.0.0.1:3306/, the local MariaDB's root). TEST_DB_SUFFIX, when set,
 * is appended to the database names, so that two test runs on one machine do not collide.
 */
import type { TestProject } from 'vitest/node'
import { crmAdminUrl, prepareCrmDatabase } from '../../scripts/crm-database.ts'

const credentials = 'red360_test:red360-test-password'
const suffix = (process.env.TEST_DB_SUFFIX ?? '').replace(/[^a-z0-9_]/gi, '')

/** The test databases: one for the trigger tests, one for the worker's own tests. */
export const testDatabases = {
  triggersCrmUrl: `mysql://${credentials}@127.0.0.1:3306/red360_test_triggers${suffix}`,
  workerCrmUrl: `mysql://${credentials}@127.0.0.1:3306/red360_test_worker${suffix}`,
} as const

declare module 'vitest' {
  export interface ProvidedContext {
    triggersCrmUrl: string
    workerCrmUrl: string
  }
}

export default async function setup(project: TestProject): Promise<void> {
  for (const [name, databaseUrl] of Object.entries(testDatabases)) {
    await prepareCrmDatabase({ adminUrl: crmAdminUrl, databaseUrl, fresh: true, quiet: true })
    project.provide(name as keyof typeof testDatabases, databaseUrl)
  }
}
