/**
 * Requests a replay of failed sync jobs: `npm run replay -- <job-id>|all [--remote]`.
 * The next cron run (every minute) enqueues a new job for each; without `--remote` it acts on
 * the local D1 of `npm start`.
 */
import { join } from 'node:path'
import { replayRequestSql } from '../src/sync/replay-request.ts'
import { projectRoot, runCommand } from './run-command.ts'

const args = process.argv.slice(2)
const target = args.find((arg) => !arg.startsWith('--'))
const where = args.includes('--remote') ? '--remote' : '--local'

if (target === undefined) {
  console.error('usage: npm run replay -- <job-id>|all [--remote]')
  process.exit(2)
}

try {
  const sql = replayRequestSql(target, Date.now())
  const wrangler = join(projectRoot, 'node_modules', '.bin', 'wrangler')
  const result = await runCommand(wrangler, ['d1', 'execute', 'SYNC_DB', where, '--command', sql])
  if (result.exitCode === 0) {
    console.log('Replay requested; the next cron run (within a minute) enqueues the job again.')
  }
  process.exitCode = result.exitCode
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 2
}
