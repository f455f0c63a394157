/** Runs a program from the project root and waits for it to end. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The project root, where every command runs. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url))

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  /** Variables added to this process's environment for the command. */
  env?: Record<string, string>
  /** Collect the command's output instead of printing it. Default false. */
  quiet?: boolean
}

/** How a command ended; `output` is empty unless the run was quiet. */
export interface CommandResult {
  exitCode: number
  output: string
}

/**
 * Runs `command` with `args`. Standard input is closed, so that tools which ask for
 * confirmation on a terminal (wrangler's migrations, for one) take their non-interactive path.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const output = options.quiet ? 'pipe' : 'inherit'
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', output, output],
  })

  let collected = ''
  const collect = (chunk: Buffer): void => {
    collected += chunk.toString()
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ exitCode: code ?? 1, output: collected }))
  })
}
