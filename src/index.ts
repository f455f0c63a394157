/**
 * The red360-sync worker: HTTP (`fetch`), cron (`scheduled`) and Cloudflare Queues (`queue`)
 * entry points.
 */
import { createApp } from './app'
import { handleQueue } from './queue/handler'
import { handleScheduled } from './scheduled/handler'

const app = createApp()

export default {
  fetch: app.fetch,
  scheduled: handleScheduled,
  queue: handleQueue,
} satisfies ExportedHandler<Env>
