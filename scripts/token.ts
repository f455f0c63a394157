/**
 * Service API tokens from the command line.
 *
 * - `npm run token -- --system crm|red360|admin [--days 30] [--remote]` mints a token, records
 *   its `jti` in D1 `api_tokens` and prints the token alone on stdout, with its id, scopes and
 *   expiry on stderr, so that `npm run -s token -- --system crm | pbcopy` copies only the token.
 * - `npm run token:revoke -- <jti> [--remote]` revokes a token by its id.
 *
 * Without `--remote` both act on the local D1 of `npm start`. The signing secret is
 * API_TOKEN_SECRET from the environment, else from `.dev.vars`.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs, parseEnv } from 'node:util'
import { mintToken } from '../src/auth/mint.ts'
import { type ApiSystem, type Scope, systemScopes } from '../src/auth/scopes.ts'
import { assertJti, insertTokenSql, MAX_TOKEN_DAYS, revokeTokenSql } from '../src/auth/token-sql.ts'
import { projectRoot, runCommand } from './run-command.ts'

/** Validity of a token when `--days` is not given. */
export const DEFAULT_TOKEN_DAYS = 30

const usage = [
  `usage: npm run token -- --system ${Object.keys(systemScopes).join('|')} [--days N] [--remote]`,
  '       npm run token:revoke -- <jti> [--remote]',
  `--days is 1 to ${MAX_TOKEN_DAYS}, default ${DEFAULT_TOKEN_DAYS}.`,
].join('\n')

/** The command was called wrongly; it exits with code 2 and the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** What the command was asked to do. */
export type TokenCommand =
  | { action: 'mint'; system: ApiSystem; days: number; remote: boolean }
  | { action: 'revoke'; jti: string; remote: boolean }

/** A token minted by {@link mintApiToken}; times in epoch milliseconds. */
export interface MintedToken {
  token: string
  jti: string
  system: ApiSystem
  scopes: readonly Scope[]
  issuedAt: number
  expiresAt: number
}

/** Reads the command line (without `node` and the script); throws {@link UsageError}. */
export function parseTokenArgs(args: readonly string[]): TokenCommand {
  const { values, positionals } = parseOptions(args)
  const remote = values.remote ?? false

  if (positionals[0] === 'revoke') {
    const jti = positionals[1]
    if (jti === undefined || positionals.length > 2) {
      throw new UsageError('token:revoke takes exactly one token id')
    }
    if (values.system !== undefined || values.days !== undefined) {
      throw new UsageError('token:revoke takes no --system or --days')
    }
    try {
      assertJti(jti)
    } catch (error) {
      throw new UsageError((error as Error).message, { cause: error })
    }
    return { action: 'revoke', jti, remote }
  }

  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`)
  }
  return {
    action: 'mint',
    system: parseSystem(values.system),
    days: parseDays(values.days),
    remote,
  }
}

/**
 * Mints a token for `system`, valid for `days`, with the claims of `mintToken` in
 * src/auth/tokens.ts: `iss`, `aud`, `sub` (the system), `scope` (its scopes, space-separated),
 * a random `jti`, `iat` and `exp`. A TypeError when the secret is shorter than 32 bytes.
 */
export async function mintApiToken(
  secret: string,
  system: ApiSystem,
  days: number,
  now = Date.now(),
): Promise<MintedToken> {
  const minted = await mintToken(secret, system, days, now)
  return { ...minted, system, issuedAt: now }
}

/**
 * API_TOKEN_SECRET from `env`, else from the `.dev.vars` file at `devVarsPath` (the project's
 * by default). A TypeError naming the variable when neither has it.
 */
export async function readTokenSecret(
  env: Readonly<Record<string, string | undefined>> = process.env,
  devVarsPath = join(projectRoot, '.dev.vars'),
): Promise<string> {
  const fromEnv = env.API_TOKEN_SECRET
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv
  }

  const devVars = await readFile(devVarsPath, 'utf8').catch(() => '')
  const fromFile = parseEnv(devVars).API_TOKEN_SECRET
  if (fromFile === undefined || fromFile === '') {
    throw new TypeError(
      'API_TOKEN_SECRET is not set: export it, or add it to .dev.vars (npm start writes one)',
    )
  }

  return fromFile
}

async function main(args: readonly string[]): Promise<number> {
  const command = parseTokenArgs(args)
  const where = command.remote ? '--remote' : '--local'

  if (command.action === 'revoke') {
    const recorded = await executeSql(revokeTokenSql(command.jti, Date.now()), where)
    if (recorded) {
      console.log(`Revoked ${command.jti}; the worker refuses it within seconds.`)
    }
    return recorded ? 0 : 1
  }

  const minted = await mintApiToken(await readTokenSecret(), command.system, command.days)
  // Printed only once recorded, so that every token in use has a row to revoke.
  if (!(await executeSql(insertTokenSql(minted), where))) {
    return 1
  }
  console.error(`jti      ${minted.jti}`)
  console.error(`system   ${minted.system}`)
  console.error(`scopes   ${minted.scopes.join(' ')}`)
  console.error(`expires  ${new Date(minted.expiresAt).toISOString()}`)
  console.log(minted.token)
  return 0
}

/** Runs `sql` on SYNC_DB; wrangler's output goes to stderr only when it fails. */
async function executeSql(sql: string, where: '--local' | '--remote'): Promise<boolean> {
  const wrangler = join(projectRoot, 'node_modules', '.bin', 'wrangler')
  // Quiet, because wrangler writes to stdout, which must carry the token alone.
  const result = await runCommand(wrangler, ['d1', 'execute', 'SYNC_DB', where, '--command', sql], {
    quiet: true,
  })
  if (result.exitCode !== 0) {
    console.error(result.output)
    console.error(`wrangler d1 execute SYNC_DB ${where} failed (exit code ${result.exitCode})`)
  }

  return result.exitCode === 0
}

function parseOptions(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        system: { type: 'string' },
        days: { type: 'string' },
        remote: { type: 'boolean' },
      },
      allowPositionals: true,
    })
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error })
  }
}

function parseSystem(system: string | undefined): ApiSystem {
  if (system === undefined) {
    throw new UsageError('--system is required')
  }
  if (!Object.hasOwn(systemScopes, system)) {
    throw new UsageError(`unknown system "${system}"`)
  }

  return system as ApiSystem
}

function parseDays(days: string | undefined): number {
  if (days === undefined) {
    return DEFAULT_TOKEN_DAYS
  }
  const parsed = /^\d+$/.test(days) ? Number(days) : Number.NaN
  if (!(parsed >= 1 && parsed <= MAX_TOKEN_DAYS)) {
    throw new UsageError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
  }

  return parsed
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main(process.argv.slice(2))
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${usage}`)
      process.exitCode = 2
    } else {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    }
  }
}
