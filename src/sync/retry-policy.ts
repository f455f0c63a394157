/**
 * When to try a failed job again. Delays grow as configured (by default 1, 2, then 4 minutes),
 * each moved by up to ±20 % of jitter so that jobs failed together do not return together, and
 * never shorter than a `Retry-After` Red 360 asked for.
 */

/** What to do with a message whose job did not succeed. */
export type RetryDecision = { action: 'retry'; delaySeconds: number } | { action: 'give_up' }

/** The most a queue message may be delayed. */
export const MAX_DELAY_SECONDS = 43_200

/** Jitter applied to each delay, as a fraction of it. */
export const JITTER = 0.2

/**
 * Decides after delivery number `attempt` (1-based) failed. `random` returns [0, 1) and is
 * injectable so tests can pin the jitter.
 */
export function decideRetry(
  attempt: number,
  delaysSeconds: readonly number[],
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): RetryDecision {
  const base = delaysSeconds[attempt - 1]
  if (base === undefined) {
    return { action: 'give_up' }
  }

  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()))
  const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0))
  return { action: 'retry', delaySeconds }
}
