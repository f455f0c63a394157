/**
 * The queue entry point. Batches from the dead-letter queue (a queue whose name ends in
 * `-dlq`, as wrangler.toml names it) go to the dead-letter consumer; every other batch is
 * sync jobs.
 */

import { consumeSyncJobs } from '../sync/consumer'
import { consumeDeadLetters } from '../sync/dead-letters'

/** The suffix that marks the dead-letter queue's name. */
export const DEAD_LETTER_SUFFIX = '-dlq'

/** Handles one batch from either queue. */
export function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
    return consumeDeadLetters(batch, env)
  }

  return consumeSyncJobs(batch, env)
}
