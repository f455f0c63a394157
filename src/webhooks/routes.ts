/**
 * The webhook endpoints:
 * - `POST /webhooks/crm/{event}`: the CRM says an agency, package or user changed; a sync job
 *   is enqueued for it (202).
 * - `POST /webhooks/red360/social-metrics`: Red 360 reports social counters; they are stored
 *   in D1 (202) and flushed to the CRM by the cron.
 *
 * An accepted webhook is durable once 202 is sent: when the queue or D1 fails, the answer is
 * 503 and the sender retries. A delivery id seen before answers 200 `duplicate`. Nothing is
 * enqueued or stored for a rejected request. Other methods answer 405.
 */
import { type Context, Hono } from 'hono'
import { validationIssues } from '../http/errors'
import { errorCode, log } from '../log'
import { socialMetricsBody } from '../metrics/schema'
import { storeMetrics } from '../metrics/store'
import { newSyncJob } from '../sync/job'
import { crmEventSchemas, eventEntity, isCrmEvent } from './crm-events'
import { isDuplicate, recordReceipt, type WebhookSource } from './receipts'
import { reject, verifiedWebhook, type WebhookEnv } from './verify'

/** What a sender is told to wait when the queue or D1 did not take the delivery. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30

/** The webhook routes, to mount under `/webhooks`. */
export const webhookRoutes = new Hono<WebhookEnv>()

const onlyPost = (source: WebhookSource) => (c: Context) => {
  c.header('Allow', 'POST')
  return reject(c, source, 405, 'method_not_allowed', 'Use POST.')
}

webhookRoutes.post(
  '/crm/:event',
  async (c, next) => {
    if (!isCrmEvent(c.req.param('event'))) {
      return reject(c, 'crm', 404, 'unknown_event', 'No such CRM event.')
    }
    await next()
  },
  verifiedWebhook('crm', (env) => env.CRM_WEBHOOK_SECRETS),
  async (c) => {
    const event = c.req.param('event')
    if (!isCrmEvent(event)) {
      return reject(c, 'crm', 404, 'unknown_event', 'No such CRM event.')
    }

    const { body, deliveryId } = c.get('webhook')
    const parsed = crmEventSchemas[event].safeParse(body)
    if (!parsed.success) {
      const issues = validationIssues(parsed.error)
      return reject(c, 'crm', 422, 'validation_failed', 'The body is not valid.', { issues })
    }

    return accept(c, 'crm', event, deliveryId, async () => {
      const job = newSyncJob(eventEntity(event), parsed.data.id, 'webhook')
      await c.env.SYNC_JOBS.send(job, { contentType: 'json' })
      return { job_id: job.job_id }
    })
  },
)

webhookRoutes.post(
  '/red360/social-metrics',
  verifiedWebhook('red360', (env) => env.RED360_WEBHOOK_SECRETS),
  async (c) => {
    const { body, deliveryId } = c.get('webhook')
    const parsed = socialMetricsBody.safeParse(body)
    if (!parsed.success) {
      const issues = validationIssues(parsed.error)
      return reject(c, 'red360', 422, 'validation_failed', 'The body is not valid.', { issues })
    }

    return accept(c, 'red360', 'social-metrics', deliveryId, async () => {
      await storeMetrics(c.env.SYNC_DB, parsed.data.metrics, Date.now())
      return { items: parsed.data.metrics.length }
    })
  },
)

webhookRoutes.all('/crm/:event', onlyPost('crm'))
webhookRoutes.all('/red360/social-metrics', onlyPost('red360'))

async function accept(
  c: Context<WebhookEnv>,
  source: WebhookSource,
  event: string,
  deliveryId: string | null,
  work: () => Promise<Record<string, unknown>>,
): Promise<Response> {
  const now = Date.now()
  let result: Record<string, unknown>
  try {
    if (deliveryId !== null && (await isDuplicate(c.env.SYNC_DB, source, deliveryId, now))) {
      log('info', 'webhook.duplicate', { source, webhook: event, delivery_id: deliveryId })
      return c.json({ status: 'duplicate' }, 200)
    }
    result = await work()
  } catch (error) {
    log('error', 'webhook.unavailable', { source, webhook: event, error: errorCode(error) })
    c.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
    return reject(c, source, 503, 'unavailable', 'Try again later.')
  }

  if (deliveryId !== null) {
    await recordReceipt(c.env.SYNC_DB, source, deliveryId, event, now).catch((error: unknown) =>
      log('warn', 'webhook.receipt_unrecorded', {
        source,
        webhook: event,
        error: errorCode(error),
      }),
    )
  }
  log('info', 'webhook.accepted', { source, webhook: event, delivery_id: deliveryId, ...result })
  return c.json({ status: 'accepted', ...result }, 202)
}
