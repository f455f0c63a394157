/**
 * The queue entry point, for the sync jobs queue and its dead-letter queue.
 *
 * This build has no consumer body for either queue. Returning normally would acknowledge the
 * batch and lose its messages, so every message is handed back with a delay instead: the
 * messages stay in the queue (and, past `max_retries`, in the dead-letter queue).
 */
import { log } from '../log'

/** How long a message handed back waits before its next delivery. */
export const UNHANDLED_RETRY_DELAY_SECONDS = 300

/** Handles one batch from either queue. */
export async function handleQueue(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  log('warn', 'queue.unhandled', {
    queue: batch.queue,
    messages: batch.messages.length,
    retry_delay_s: UNHANDLED_RETRY_DELAY_SECONDS,
  })

  batch.retryAll({ delaySeconds: UNHANDLED_RETRY_DELAY_SECONDS })
}
