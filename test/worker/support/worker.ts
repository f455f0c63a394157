/** Driving the worker through its entry points, as the runtime would. */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../../src/index'
import { resetCrm } from './crm'
import { resetD1 } from './d1'
import { resetSandbox } from './sandbox'

/** Runs the every-minute cron once: the outbox poll, replays and the metrics flush. */
export async function runMinuteCron(): Promise<void> {
  await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env)
}

/** Empties the CRM, the sandbox and D1, for a test that starts from nothing. */
export async function resetWorld(): Promise<void> {
  await Promise.all([resetCrm(), resetSandbox(), resetD1()])
}
