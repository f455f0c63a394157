/**
 * The consumer of the sync jobs queue. Each message is decided on its own: acknowledged when
 * its job succeeded, retried with a delay when the failure may pass, and recorded as failed
 * (then acknowledged) when it cannot succeed or has used its attempts. A message whose failure
 * could not even be recorded is retried, so nothing is dropped unrecorded.
 */
import { loadConfig } from '../config'
import { errorCode, log } from '../log'
import { applyTally, type BulkTally, tallyOutcome } from './bulk'
import { recordFailure } from './failures'
import { type SyncJob, syncJob } from './job'
import type { JobOutcome } from './outcome'
import { decideRetry } from './retry-policy'
import { createSyncContext, runSyncJob, type SyncContext } from './run-job'
import { type AttemptRow, recordAttempts } from './state'

/** Handles one batch of sync jobs. */
export async function consumeSyncJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadConfig(env)
  const context = createSyncContext(env)

  const handled = await Promise.all(
    batch.messages.map((message) => handleMessage(message, context, config.retryDelaysSeconds)),
  )

  const tally: BulkTally = new Map()
  for (const result of handled) {
    const final = result === null ? undefined : finalCount[result.outcome.outcome]
    if (result !== null && final !== undefined) {
      tallyOutcome(tally, result.job, final)
    }
  }

  const attempts = handled.flatMap((result) => (result === null ? [] : [result.attempt]))
  await Promise.all([recordAttempts(env.SYNC_DB, attempts), applyTally(env.SYNC_DB, tally)]).catch(
    (error: unknown) => log('error', 'sync.attempts_unrecorded', { error: errorCode(error) }),
  )
}

/** Which bulk counter a final outcome moves; a retry is not final. */
const finalCount = {
  pushed: 'succeeded',
  deleted: 'succeeded',
  skipped: 'skipped',
  failed: 'failed',
  retry: undefined,
} as const

/** What became of one message. */
interface HandledMessage {
  job: SyncJob
  outcome: JobOutcome
  attempt: AttemptRow
}

async function handleMessage(
  message: Message<unknown>,
  context: SyncContext,
  delays: readonly number[],
): Promise<HandledMessage | null> {
  const started = Date.now()
  const parsed = syncJob.safeParse(message.body)
  if (!parsed.success) {
    log('error', 'sync.poison', { message_id: message.id, attempt: message.attempts })
    message.ack()
    return null
  }

  const job = parsed.data
  const outcome = await runSyncJob(job, context).catch(
    (error: unknown): JobOutcome => ({
      outcome: 'retry',
      version: null,
      httpStatus: null,
      code: errorCode(error),
    }),
  )

  const final = await settleMessage(message, job, outcome, context.env, delays)
  const durationMs = Date.now() - started
  logOutcome(job, final, message.attempts, durationMs)

  const attempt: AttemptRow = {
    jobId: job.job_id,
    entityType: job.entity_type,
    entityId: job.entity_id,
    version: final.version,
    attempt: message.attempts,
    outcome: final.outcome === 'retry' ? 'retrying' : final.outcome,
    httpStatus: final.httpStatus,
    errorCode: 'code' in final ? final.code : null,
    durationMs,
    createdAt: started,
  }
  return { job, outcome: final, attempt }
}

async function settleMessage(
  message: Message<unknown>,
  job: SyncJob,
  outcome: JobOutcome,
  env: Env,
  delays: readonly number[],
): Promise<JobOutcome> {
  if (outcome.outcome !== 'retry' && outcome.outcome !== 'failed') {
    message.ack()
    return outcome
  }

  if (outcome.outcome === 'retry') {
    const decision = decideRetry(message.attempts, delays, outcome.retryAfterSeconds)
    if (decision.action === 'retry') {
      message.retry({ delaySeconds: decision.delaySeconds })
      return outcome
    }
  }

  const failure = {
    job,
    attempts: message.attempts,
    lastError: outcome.code,
    version: outcome.version,
  }
  try {
    await recordFailure(env, failure)
    message.ack()
  } catch (error) {
    log('error', 'sync.failure_unrecorded', { job_id: job.job_id, error: errorCode(error) })
    message.retry({ delaySeconds: delays[0] ?? 60 })
    // Not final: the failure will be decided again on the next delivery.
    const { version, httpStatus } = outcome
    return { outcome: 'retry', version, httpStatus, code: 'failure_unrecorded' }
  }

  return {
    outcome: 'failed',
    version: outcome.version,
    httpStatus: outcome.httpStatus,
    code: outcome.code,
  }
}

function logOutcome(job: SyncJob, outcome: JobOutcome, attempt: number, durationMs: number): void {
  const failed = outcome.outcome === 'failed'
  log(failed ? 'error' : outcome.outcome === 'retry' ? 'warn' : 'info', `sync.${outcome.outcome}`, {
    job_id: job.job_id,
    source: job.source,
    entity: job.entity_type,
    id: job.entity_id,
    version: outcome.version,
    outcome: outcome.outcome,
    reason: 'reason' in outcome ? outcome.reason : undefined,
    code: 'code' in outcome ? outcome.code : undefined,
    http_status: outcome.httpStatus,
    attempt,
    duration_ms: durationMs,
  })
}
