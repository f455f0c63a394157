/**
 * The worker's own state in D1, as drizzle tables. `npm run d1:generate` turns changes here
 * into SQL migrations under `migrations/d1/`, which wrangler applies.
 *
 * Times are Unix epoch milliseconds. Entity types are `agency`, `package` and `user`.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** What Red 360 holds for each entity, as far as this worker knows: the last accepted write. */
export const syncState = sqliteTable(
  'sync_state',
  {
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    /** The CRM change counter of the state Red 360 last accepted. */
    version: integer('version').notNull(),
    /** SHA-256 of the canonical payload last accepted; null after a delete. */
    contentHash: text('content_hash'),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    /**
     * Packages only: a short hash per field that followers hear about, as of the last
     * notification, so that a later change notifies once and names the fields that changed.
     */
    notifyDigest: text('notify_digest', { mode: 'json' }).$type<Record<string, string>>(),
    syncedAt: integer('synced_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.entityType, table.entityId] })],
)

/** One row per attempt to sync an entity, successful or not. Pruned by age. */
export const syncAttempts = sqliteTable(
  'sync_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    version: integer('version'),
    /** 1 for the first delivery of the job, counting up with each retry. */
    attempt: integer('attempt').notNull(),
    /** `pushed`, `deleted`, `skipped`, `retrying` or `failed`. */
    outcome: text('outcome').notNull(),
    httpStatus: integer('http_status'),
    /** A machine-readable error code; never personal data. */
    errorCode: text('error_code'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('sync_attempts_entity').on(table.entityType, table.entityId, table.createdAt),
    index('sync_attempts_created').on(table.createdAt),
  ],
)

/** Sync jobs that exhausted their retries or failed permanently, kept for inspection and replay. */
export const failedJobs = sqliteTable(
  'failed_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: text('job_id').notNull().unique(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    attempts: integer('attempts').notNull(),
    lastError: text('last_error').notNull(),
    /** The job message as JSON, with personal data encrypted or left out. */
    payload: text('payload').notNull(),
    failedAt: integer('failed_at').notNull(),
    /** Set by the replay command; the next cron run enqueues the job again. */
    replayRequestedAt: integer('replay_requested_at'),
    replayedAt: integer('replayed_at'),
  },
  (table) => [
    index('failed_jobs_entity').on(table.entityType, table.entityId),
    index('failed_jobs_failed_at').on(table.failedAt),
  ],
)

/**
 * Accepted webhook deliveries, by source and delivery id, so that a redelivery is recognised
 * as a duplicate until `expiresAt` (at least 24 hours after receipt).
 */
export const webhookReceipts = sqliteTable(
  'webhook_receipts',
  {
    source: text('source').notNull(),
    deliveryId: text('delivery_id').notNull(),
    event: text('event').notNull(),
    receivedAt: integer('received_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.source, table.deliveryId] }),
    index('webhook_receipts_expires_at').on(table.expiresAt),
  ],
)

/**
 * The newest social counters Red 360 reported per agency or package, waiting for the cron
 * to copy them into the CRM. A counter is null until a report carries it; a later report
 * that omits it keeps the stored value.
 */
export const socialMetrics = sqliteTable(
  'social_metrics',
  {
    /** `agency` or `package`. */
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    /** Agencies only. */
    followersCount: integer('followers_count'),
    /** Agencies only, 0 to 5. */
    socialRating: real('social_rating'),
    /** Packages only. */
    likesCount: integer('likes_count'),
    /** Packages only. */
    commentsCount: integer('comments_count'),
    /** Packages only. */
    viewsCount: integer('views_count'),
    /** Packages only, 0 to 5. */
    rating: real('rating'),
    /** When Red 360 took the newest report stored here; an older report changes nothing. */
    asOf: integer('as_of').notNull(),
    /** When the newest report arrived. */
    receivedAt: integer('received_at').notNull(),
    /** Set while the values stored here have not reached the CRM yet. */
    dirty: integer('dirty', { mode: 'boolean' }).notNull().default(true),
    /** When the flush last copied this row to the CRM. */
    flushedAt: integer('flushed_at'),
  },
  (table) => [
    primaryKey({ columns: [table.entityType, table.entityId] }),
    index('social_metrics_dirty').on(table.dirty),
  ],
)

/**
 * Service API tokens by `jti`: recorded when minted, and marked when revoked. Every request
 * checks its token's row; a row with `revokedAt` refuses the token.
 */
export const apiTokens = sqliteTable('api_tokens', {
  jti: text('jti').primaryKey(),
  /** The system the token was minted for (`crm`, `red360`, `admin`), or `unknown`. */
  system: text('system').notNull(),
  /** The scopes granted, space-separated. */
  scopes: text('scopes').notNull(),
  issuedAt: integer('issued_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  revokedAt: integer('revoked_at'),
})

/**
 * Bulk syncs and backfills started through the API, with their progress. Counters move as
 * jobs reach a final outcome; retries do not count until then.
 */
export const bulkJobs = sqliteTable('bulk_jobs', {
  id: text('id').primaryKey(),
  entityType: text('entity_type').notNull(),
  /** `ids` for an explicit list, `all` for a backfill of the whole CRM table. */
  mode: text('mode').notNull(),
  total: integer('total').notNull().default(0),
  queued: integer('queued').notNull().default(0),
  succeeded: integer('succeeded').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  /** Ids of an explicit list that the CRM does not have; counted in `failed` too. */
  notFound: integer('not_found').notNull().default(0),
  /** Backfills: the last CRM id enqueued, so paging resumes where it stopped. */
  cursor: integer('cursor').notNull().default(0),
  /** Whether every id has been enqueued (always true for an explicit list). */
  enumerated: integer('enumerated', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  finishedAt: integer('finished_at'),
})
