/**
 * Applies the outbox migrations in `migrations/crm/` to the CRM database named by
 * CRM_DATABASE_URL, with dbmate. Already applied migrations are skipped, so running it twice
 * is safe.
 *
 * Usage: CRM_DATABASE_URL=mysql://user:pass@host:3306/crm node scripts/crm-migrate.ts [up]
 * Other dbmate commands pass through: `status`, `rollback`.
 */

import { requireCrmUrl } from './crm-url.ts'
import { runDbmate } from './dbmate.ts'

const commands = new Set(['up', 'status', 'rollback'])

const command = process.argv[2] ?? 'up'

if (!commands.has(command)) {
  console.error(`unknown command "${command}"; expected one of: ${[...commands].join(', ')}`)
  process.exit(2)
}

try {
  const url = requireCrmUrl('CRM_DATABASE_URL')
  process.exitCode = (await runDbmate(url, command)).exitCode
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 2
}
