/**
 * Structured logging: one JSON object per line, made to be filtered with
 * `wrangler tail --format json` and Workers Logs.
 *
 * Every line carries a stable `event` name in `noun.verb` form plus the ids needed to follow
 * one change end to end. Callers pass codes, ids and durations only: never personal data,
 * secrets or raw payloads.
 */

/** Values a log field may hold. */
export type LogValue = string | number | boolean | null | undefined | readonly LogValue[]

/** Fields attached to a log line besides `event`. */
export type LogFields = Record<string, LogValue>

/** How serious a line is; `error` lines go to `console.error` so that tail marks them. */
export type LogLevel = 'info' | 'warn' | 'error'

/** Writes one structured log line; `level` and `event` win over fields of the same name. */
export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ ...fields, level, event })

  if (level === 'error') {
    console.error(line)
  } else if (level === 'warn') {
    console.warn(line)
  } else {
    console.log(line)
  }
}

/** A short, safe description of a thrown value for a log line: its class and code, no message. */
export function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${error.name}:${code}` : error.name
  }

  return typeof error
}
