/**
 * `npm start`: the worker on this machine, with local D1, KV and Queues, against a local CRM
 * database.
 *
 * 1. Creates the CRM database named by CRM_DATABASE_URL (default
 *    mysql://red360:red360-local@127.0.0.1:3306/red360_crm) with its user, the CRM tables and
 *    the outbox migrations, using the account in CRM_ADMIN_URL (default the local root).
 * 2. Applies the D1 migrations to the local D1.
 * 3. Runs `wrangler dev` with the Hyperdrive binding pointed at that database. Arguments after
 *    `npm start --` go to wrangler, e.g. `npm start -- --port 8790`.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { prepareCrmDatabase } from './crm-database.ts'
import { requireCrmUrl } from './crm-url.ts'
import { projectRoot, runCommand } from './run-command.ts'

const DEFAULT_CRM_URL = 'mysql://red360:red360-local@127.0.0.1:3306/red360_crm'
const DEFAULT_ADMIN_URL = 'mysql://root@127.0.0.1:3306/'
const wrangler = join(projectRoot, 'node_modules', '.bin', 'wrangler')

async function main(): Promise<number> {
  const databaseUrl = requireCrmUrl('CRM_DATABASE_URL', DEFAULT_CRM_URL)
  const adminUrl = process.env.CRM_ADMIN_URL ?? DEFAULT_ADMIN_URL

  console.log(`Preparing the local CRM database (${new URL(databaseUrl).pathname.slice(1)})…`)
  await prepareCrmDatabase({ adminUrl, databaseUrl })

  console.log('Applying D1 migrations to the local D1…')
  const migrated = await runCommand(wrangler, ['d1', 'migrations', 'apply', 'SYNC_DB', '--local'])
  if (migrated.exitCode !== 0) {
    return migrated.exitCode
  }

  const dev = spawn(wrangler, ['dev', ...process.argv.slice(2)], {
    cwd: projectRoot,
    env: { ...process.env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_CRM_DB: databaseUrl },
    stdio: 'inherit',
  })

  return new Promise((resolve) => dev.once('close', (code) => resolve(code ?? 0)))
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  console.error('Is MariaDB running? CRM_ADMIN_URL must name an account that may create users.')
  process.exitCode = 1
}
