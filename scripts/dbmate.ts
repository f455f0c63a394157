/** Runs dbmate, the migration tool for the CRM outbox SQL, against one database. */
import { join } from 'node:path'
import { type CommandResult, projectRoot, runCommand } from './run-command.ts'

const dbmate = join(projectRoot, 'node_modules', '.bin', 'dbmate')

/** Where the CRM migrations live, relative to the project root. */
export const CRM_MIGRATIONS_DIR = 'migrations/crm'

/** Options for {@link runDbmate}. */
export interface RunDbmateOptions {
  /** Collect dbmate's output instead of printing it. Default false. */
  quiet?: boolean
}

/** Runs `dbmate <command>` on the CRM migrations against `databaseUrl`. */
export function runDbmate(
  databaseUrl: string,
  command: string,
  options: RunDbmateOptions = {},
): Promise<CommandResult> {
  const args = ['--migrations-dir', CRM_MIGRATIONS_DIR, '--no-dump-schema', command]

  return runCommand(dbmate, args, {
    env: { DATABASE_URL: databaseUrl },
    quiet: options.quiet ?? false,
  })
}
