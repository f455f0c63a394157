/**
 * The body Red 360 posts to `POST /webhooks/red360/social-metrics`: the latest social
 * counters of agencies and packages, each report stamped with the time Red 360 took it.
 *
 * Objects are strict at every level: a field this schema does not name, or a counter of the
 * other entity type (`likes_count` on an agency), refuses the whole body. Red 360's side of
 * this contract is ours to change together with this schema, so a typo or a drifted field
 * must fail loudly at the door rather than be dropped in silence and leave a counter stale.
 */
import { z } from 'zod'

/** The most reports one body may carry. */
export const MAX_METRICS_PER_BODY = 500

/**
 * The CRM stores counters as `INT UNSIGNED`: a larger value would make every flush of its
 * chunk fail, so it is refused here, where Red 360 hears about it.
 */
const CRM_COUNTER_MAX = 4_294_967_295

const counter = z.number().int().min(0).max(CRM_COUNTER_MAX).optional()
const rating = z.number().min(0).max(5).optional()

const report = {
  entity_id: z.number().int().positive(),
  /** When Red 360 took the values; the newest report per entity wins. */
  as_of: z.iso.datetime({ offset: true }),
}

const agencyMetrics = z.strictObject({
  entity_type: z.literal('agency'),
  ...report,
  followers_count: counter,
  social_rating: rating,
})

const packageMetrics = z.strictObject({
  entity_type: z.literal('package'),
  ...report,
  likes_count: counter,
  comments_count: counter,
  views_count: counter,
  rating,
})

/**
 * One report about one entity. Every counter is optional: an omitted counter keeps the value
 * last reported.
 */
export const socialMetricsItem = z.discriminatedUnion('entity_type', [
  agencyMetrics,
  packageMetrics,
])

/** One report, as parsed. */
export type SocialMetricsItem = z.infer<typeof socialMetricsItem>

/** The entity types that carry social metrics. */
export type MetricsEntityType = SocialMetricsItem['entity_type']

/** The webhook body: 1 to {@link MAX_METRICS_PER_BODY} reports. */
export const socialMetricsBody = z.strictObject({
  metrics: z.array(socialMetricsItem).min(1).max(MAX_METRICS_PER_BODY),
})

/** The webhook body, as parsed. */
export type SocialMetricsBody = z.infer<typeof socialMetricsBody>
