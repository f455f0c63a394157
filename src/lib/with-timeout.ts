/** The error {@link withTimeout} rejects with when time runs out. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  readonly code = 'ERR_TIMEOUT'

  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`)
  }
}

/**
 * Resolves like `promise`, or rejects with a {@link TimeoutError} once `timeoutMs` have passed.
 * The underlying work is not cancelled; callers use this where a late answer is useless.
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(timeoutMs)), timeoutMs)
  })

  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
