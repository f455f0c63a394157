/**
 * The cron entry point. Each cron expression of wrangler.toml maps to the tasks it runs, in
 * order; a failing task is logged and the next one still runs. An expression this table does
 * not know is logged and ignored.
 */
import { loadConfig } from '../config'
import { errorCode, log } from '../log'
import { prune } from '../maintenance/prune'
import { flushMetrics } from '../metrics/flush'
import { pollOutbox } from '../outbox/poller'
import { advanceBackfills } from '../sync/bulk'
import { enqueueReplays } from '../sync/replay'

/** How long one cron run keeps paging open backfills. */
export const BULK_ADVANCE_BUDGET_MS = 15_000

/** The tasks a cron invocation can run. */
export type ScheduledTaskName =
  | 'outbox.poll'
  | 'failed.replay'
  | 'bulk.advance'
  | 'metrics.flush'
  | 'sync.reconcile'
  | 'state.prune'

/** A task body. */
export type ScheduledTask = (env: Env) => Promise<unknown>

/** Which tasks each cron expression of wrangler.toml runs, in order. */
export const tasksByCron: Readonly<Record<string, readonly ScheduledTaskName[]>> = {
  '* * * * *': ['outbox.poll', 'failed.replay', 'bulk.advance', 'metrics.flush'],
  '17 3 * * *': ['sync.reconcile', 'state.prune'],
}

/** The task bodies this build has; a task without one is logged as absent. */
export const scheduledTasks: Partial<Record<ScheduledTaskName, ScheduledTask>> = {
  'outbox.poll': (env) => {
    const config = loadConfig(env)
    return pollOutbox(env.CRM_DB, env.SYNC_JOBS, {
      batchSize: config.outboxBatchSize,
      leaseSeconds: config.outboxLeaseSeconds,
      timeBudgetMs: config.outboxTimeBudgetMs,
    })
  },
  'failed.replay': (env) => enqueueReplays(env, env.SYNC_JOBS),
  'bulk.advance': (env) => advanceBackfills(env, BULK_ADVANCE_BUDGET_MS),
  'metrics.flush': (env) => flushMetrics(env),
  'state.prune': (env) => prune(env),
}

/** Runs the tasks of `controller.cron`, one after the other. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const tasks = tasksByCron[controller.cron]
  if (tasks === undefined) {
    log('warn', 'cron.unknown', { cron: controller.cron })
    return
  }

  for (const name of tasks) {
    const task = scheduledTasks[name]
    if (task === undefined) {
      log('info', 'cron.task_absent', { cron: controller.cron, task: name })
      continue
    }

    const started = Date.now()
    try {
      await task(env)
      log('info', 'cron.task_done', { task: name, duration_ms: Date.now() - started })
    } catch (error) {
      const fields = { task: name, error: errorCode(error), duration_ms: Date.now() - started }
      log('error', 'cron.task_failed', fields)
    }
  }
}
