/**
 * The cron entry point. Each cron expression of wrangler.toml maps to the tasks it runs; an
 * expression this table does not know is logged and ignored.
 */
import { log } from '../log'

/** The tasks a cron invocation can run. */
export type ScheduledTaskName = 'outbox.poll' | 'metrics.flush' | 'sync.reconcile' | 'state.prune'

/** A task body; tasks not listed in {@link scheduledTasks} have no body in this build. */
export type ScheduledTask = (env: Env, controller: ScheduledController) => Promise<void>

/** Which tasks each cron expression of wrangler.toml runs, in order. */
export const tasksByCron: Readonly<Record<string, readonly ScheduledTaskName[]>> = {
  '* * * * *': ['outbox.poll', 'metrics.flush'],
  '17 3 * * *': ['sync.reconcile', 'state.prune'],
}

/** The task bodies this build has. */
export const scheduledTasks: Partial<Record<ScheduledTaskName, ScheduledTask>> = {}

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
    await task(env, controller)
    log('info', 'cron.task_done', { task: name, duration_ms: Date.now() - started })
  }
}
