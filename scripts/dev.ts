/**
 * `npm start`: the worker on this machine, with local D1, KV and Queues, against a local CRM
 * database and the local Red 360 sandbox (see local-stack.ts).
 *
 * CRM_DATABASE_URL names the CRM database (default
 * mysql://red360:red360-local@127.0.0.1:3306/red360_crm), created with its user, the CRM
 * tables and the outbox migrations through the account in CRM_ADMIN_URL (default the local
 * root). The worker listens on 8787 and the sandbox on RED360_SANDBOX_PORT (default 8788).
 * Arguments after `npm start --` go to `wrangler dev`.
 */
import { crmAdminUrl } from './crm-database.ts'
import { requireCrmUrl } from './crm-url.ts'
import { startLocalStack } from './local-stack.ts'

const DEFAULT_CRM_URL = 'mysql://red360:red360-local@127.0.0.1:3306/red360_crm'

async function main(): Promise<number> {
  const stack = await startLocalStack({
    databaseUrl: requireCrmUrl('CRM_DATABASE_URL', DEFAULT_CRM_URL),
    adminUrl: crmAdminUrl,
    workerPort: 8787,
    sandboxPort: Number(process.env.RED360_SANDBOX_PORT ?? 8788),
    wranglerArgs: process.argv.slice(2),
  })

  process.once('SIGINT', stack.stop)
  process.once('SIGTERM', stack.stop)
  return stack.exited
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  console.error('Is MariaDB running? CRM_ADMIN_URL must name an account that may create users.')
  process.exitCode = 1
}
