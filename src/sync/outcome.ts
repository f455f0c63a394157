/** What running one sync job came to. */
export type JobOutcome =
  /** Red 360 now holds the entity's current state (or its deletion). */
  | {
      outcome: 'pushed' | 'deleted' | 'skipped'
      version: number
      httpStatus: number | null
      /** Why nothing was sent, for `skipped`. */
      reason?: 'unchanged' | 'red360_newer' | 'already_deleted'
    }
  /** Worth trying again later. */
  | {
      outcome: 'retry'
      version: number | null
      httpStatus: number | null
      code: string
      retryAfterSeconds?: number
    }
  /** Will never succeed as things are: fail without retrying. */
  | { outcome: 'failed'; version: number | null; httpStatus: number | null; code: string }
