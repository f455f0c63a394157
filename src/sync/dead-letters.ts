/**
 * The consumer of the dead-letter queue. Messages arrive here when the sync consumer itself
 * kept failing (a crash or timeout before it could decide); each is recorded in `failed_jobs`
 * and its outbox rows marked failed, then acknowledged. A message that cannot be recorded is
 * retried.
 */
import { errorCode, log } from '../log'
import { applyTally, type BulkTally, tallyOutcome } from './bulk'
import { recordFailure } from './failures'
import { syncJob } from './job'

/** Handles one batch of dead letters. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const tally: BulkTally = new Map()

  for (const message of batch.messages) {
    const parsed = syncJob.safeParse(message.body)
    if (!parsed.success) {
      log('error', 'sync.poison', { message_id: message.id, queue: batch.queue })
      message.ack()
      continue
    }

    const job = parsed.data
    try {
      await recordFailure(env, {
        job,
        attempts: message.attempts,
        lastError: 'dead_lettered',
        version: null,
      })
      log('error', 'sync.dead_lettered', {
        job_id: job.job_id,
        entity: job.entity_type,
        id: job.entity_id,
      })
      tallyOutcome(tally, job, 'failed')
      message.ack()
    } catch (error) {
      log('error', 'sync.failure_unrecorded', { job_id: job.job_id, error: errorCode(error) })
      message.retry()
    }
  }

  await applyTally(env.SYNC_DB, tally).catch((error: unknown) =>
    log('error', 'bulk.tally_unrecorded', { error: errorCode(error) }),
  )
}
