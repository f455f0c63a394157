/**
 * `npm start`: the worker on this machine, with local D1, KV and Queues, against a local CRM
 * database and the local Red 360 sandbox.
 *
 * 1. Creates the CRM database named by CRM_DATABASE_URL (default
 *    mysql://red360:red360-local@127.0.0.1:3306/red360_crm) with its user, the CRM tables and
 *    the outbox migrations, using the account in CRM_ADMIN_URL (default the local root).
 * 2. Writes `.dev.vars` with a fresh signing key when it has none.
 * 3. Applies the D1 migrations to the local D1.
 * 4. Starts the Red 360 sandbox (port RED360_SANDBOX_PORT, default 8788) and `wrangler dev`
 *    (port 8787) with the Hyperdrive binding pointed at the CRM database, and fires the
 *    every-minute cron each minute, which `wrangler dev` does not do by itself.
 * Arguments after `npm start --` go to wrangler, e.g. `npm start -- --port 8790`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { prepareCrmDatabase } from './crm-database.ts'
import { requireCrmUrl } from './crm-url.ts'
import { projectRoot, runCommand } from './run-command.ts'
import { generateSigningKey } from './signing-key.ts'

const DEFAULT_CRM_URL = 'mysql://red360:red360-local@127.0.0.1:3306/red360_crm'
const DEFAULT_ADMIN_URL = 'mysql://root@127.0.0.1:3306/'
const CRON_EVERY_MINUTE = '* * * * *'
const wrangler = join(projectRoot, 'node_modules', '.bin', 'wrangler')
const devVars = join(projectRoot, '.dev.vars')

async function ensureSigningKey(): Promise<void> {
  const current = await readFile(devVars, 'utf8').catch(() => '')
  if (/^RED360_SIGNING_KEY=/m.test(current)) {
    return
  }

  const { privateJwk } = await generateSigningKey()
  const line = `RED360_SIGNING_KEY=${JSON.stringify(privateJwk)}\n`
  await writeFile(
    devVars,
    `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${line}`,
  )
  console.log('Wrote a new local signing key to .dev.vars')
}

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  })
}

function workerPort(args: readonly string[]): string {
  const index = args.indexOf('--port')
  return index >= 0 ? (args[index + 1] ?? '8787') : '8787'
}

/** Fires the every-minute cron of the local worker once a minute. */
function tickCron(port: string): NodeJS.Timeout {
  const url = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(CRON_EVERY_MINUTE)}`
  return setInterval(() => {
    fetch(url).catch(() => console.warn('cron tick: the local worker did not answer'))
  }, 60_000)
}

async function main(): Promise<number> {
  const databaseUrl = requireCrmUrl('CRM_DATABASE_URL', DEFAULT_CRM_URL)
  const adminUrl = process.env.CRM_ADMIN_URL ?? DEFAULT_ADMIN_URL
  const args = process.argv.slice(2)
  const port = workerPort(args)

  console.log(`Preparing the local CRM database (${new URL(databaseUrl).pathname.slice(1)})…`)
  await prepareCrmDatabase({ adminUrl, databaseUrl })
  await ensureSigningKey()

  console.log('Applying D1 migrations to the local D1…')
  const migrated = await runCommand(wrangler, ['d1', 'migrations', 'apply', 'SYNC_DB', '--local'])
  if (migrated.exitCode !== 0) {
    return migrated.exitCode
  }

  const sandbox = start(process.execPath, ['sandbox/main.ts'], {
    RED360_SANDBOX_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
  })
  const worker = start(wrangler, ['dev', ...args], {
    CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_CRM_DB: databaseUrl,
  })
  const ticker = tickCron(port)

  const stop = () => {
    clearInterval(ticker)
    sandbox.kill('SIGTERM')
    worker.kill('SIGTERM')
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  return new Promise((resolve) =>
    worker.once('close', (code) => {
      stop()
      resolve(code ?? 0)
    }),
  )
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  console.error('Is MariaDB running? CRM_ADMIN_URL must name an account that may create users.')
  process.exitCode = 1
}
