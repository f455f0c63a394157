/**
 * The local stack behind `npm start` and `npm run demo`: a CRM database with the outbox,
 * secrets in .dev.vars (a signing key, webhook secrets), the local D1 with its migrations,
 * the Red 360 sandbox and `wrangler dev`, and a timer firing the every-minute cron, which
 * `wrangler dev` does not do.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { prepareCrmDatabase } from './crm-database.ts'
import { projectRoot, runCommand } from './run-command.ts'
import { generateSigningKey } from './signing-key.ts'

const wrangler = join(projectRoot, 'node_modules', '.bin', 'wrangler')
const devVars = join(projectRoot, '.dev.vars')
const EVERY_MINUTE = '* * * * *'

/** Where the stack's parts live. */
export interface LocalStackOptions {
  /** The CRM database the worker reads, created when missing. */
  databaseUrl: string
  /** An account allowed to create databases and users. */
  adminUrl: string
  workerPort: number
  sandboxPort: number
  /** wrangler's local state folder (D1, KV, Queues); default `.wrangler/state`. */
  persistTo?: string
  /** Further arguments for `wrangler dev`. */
  wranglerArgs?: readonly string[]
  /** Print the children's output. Default true. */
  verbose?: boolean
  /** Start from an empty CRM database and empty local state. Default false. */
  fresh?: boolean
}

/** A running stack. */
export interface LocalStack {
  workerUrl: string
  sandboxUrl: string
  /** Fires the every-minute cron now. */
  fireCron(): Promise<void>
  /** Resolves when `wrangler dev` exits, with its exit code. */
  exited: Promise<number>
  stop(): void
}

/** Prepares the databases and starts the sandbox, the worker and the cron timer. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const persist = options.persistTo === undefined ? [] : ['--persist-to', options.persistTo]
  const quiet = options.verbose === false

  const fresh = options.fresh ?? false
  if (fresh && options.persistTo !== undefined) {
    await rm(join(projectRoot, options.persistTo), { recursive: true, force: true })
  }
  await prepareCrmDatabase({ ...options, fresh, quiet })
  await ensureDevVars()
  const migrate = ['d1', 'migrations', 'apply', 'SYNC_DB', '--local', ...persist]
  const migrated = await runCommand(wrangler, migrate, { quiet })
  if (migrated.exitCode !== 0) {
    throw new Error(`applying the D1 migrations failed:\n${migrated.output}`)
  }

  const workerUrl = `http://127.0.0.1:${options.workerPort}`
  const sandboxUrl = `http://127.0.0.1:${options.sandboxPort}`
  const sandbox = start(process.execPath, ['sandbox/main.ts'], quiet, {
    RED360_SANDBOX_PORT: String(options.sandboxPort),
    RED360_SANDBOX_JWKS_URL: `${workerUrl}/.well-known/jwks.json`,
  })
  const devArgs = ['dev', '--ip', '127.0.0.1', '--port', String(options.workerPort), ...persist]
  const worker = start(
    wrangler,
    [...devArgs, '--var', `RED360_API_URL:${sandboxUrl}`, ...(options.wranglerArgs ?? [])],
    quiet,
    { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_CRM_DB: options.databaseUrl },
  )

  const cronUrl = `${workerUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(EVERY_MINUTE)}`
  const fireCron = async () => {
    await fetch(cronUrl).catch(() => console.warn('cron: the local worker did not answer'))
  }
  const timer = setInterval(fireCron, 60_000)

  const stop = () => {
    clearInterval(timer)
    sandbox.kill('SIGTERM')
    worker.kill('SIGTERM')
  }
  const exited = new Promise<number>((resolve) =>
    worker.once('close', (code) => {
      stop()
      resolve(code ?? 0)
    }),
  )

  return { workerUrl, sandboxUrl, fireCron, exited, stop }
}

/** Waits until the worker's /health answers 200, or throws after `timeoutMs`. */
export async function waitForWorker(workerUrl: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const healthy = await fetch(`${workerUrl}/health`)
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }

  throw new Error(`the worker at ${workerUrl} did not become healthy`)
}

/**
 * Adds to .dev.vars the secrets it lacks: a signing key, a webhook secret per source and the
 * API token secret.
 */
async function ensureDevVars(): Promise<void> {
  const current = await readFile(devVars, 'utf8').catch(() => '')
  const missing: string[] = []

  if (!/^RED360_SIGNING_KEY=/m.test(current)) {
    const { privateJwk } = await generateSigningKey()
    missing.push(`RED360_SIGNING_KEY=${JSON.stringify(privateJwk)}`)
  }
  for (const name of ['CRM_WEBHOOK_SECRETS', 'RED360_WEBHOOK_SECRETS', 'API_TOKEN_SECRET']) {
    if (!new RegExp(`^${name}=`, 'm').test(current)) {
      missing.push(`${name}=${randomSecret()}`)
    }
  }
  if (missing.length === 0) {
    return
  }

  const separator = current === '' || current.endsWith('\n') ? '' : '\n'
  await writeFile(devVars, `${current}${separator}${missing.join('\n')}\n`)
  const names = missing.map((line) => line.slice(0, line.indexOf('=')))
  console.log(`Wrote ${names.join(', ')} to .dev.vars`)
}

/**
 * 24 random bytes as a Standard Webhooks secret; the CRM's scheme uses the same text as its
 * key, and its 38 characters suit API_TOKEN_SECRET too.
 */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  return `whsec_${Buffer.from(bytes).toString('base64')}`
}

function start(
  command: string,
  args: string[],
  quiet: boolean,
  env: Record<string, string>,
): ChildProcess {
  return spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: quiet ? 'ignore' : 'inherit',
  })
}
