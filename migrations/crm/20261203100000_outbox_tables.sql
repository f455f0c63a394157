-- migrate:up

-- The outbox. Triggers append one row per relevant change; the worker's poller claims rows
-- with a lease, hands them to the sync queue and the consumer marks them done.
--   status: pending -> claimed (leased by one poller run) -> queued (handed to the sync
--           queue) -> processed | failed. A claimed or queued row whose lease has expired is
--           claimable again, so a poller or consumer that dies never strands a row.
--   attempts: how many times a poller run has claimed the row.
--   version: the entity's change counter (sync_versions) right after this change.
-- The code-like columns are ascii_bin so that comparisons never depend on the CRM's default
-- collation.
CREATE TABLE sync_queue (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  entity_type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  entity_id BIGINT UNSIGNED NOT NULL,
  action VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version BIGINT UNSIGNED NOT NULL,
  status VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'pending',
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  claim_token CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
  lease_until DATETIME(3) NULL,
  last_error VARCHAR(1000) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  processed_at DATETIME(3) NULL,
  failed_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY sync_queue_pending (status, id),
  KEY sync_queue_lease (status, lease_until),
  KEY sync_queue_entity (entity_type, entity_id, status),
  CONSTRAINT sync_queue_entity_type CHECK (entity_type IN ('agency', 'package', 'user')),
  CONSTRAINT sync_queue_action CHECK (action IN ('create', 'update', 'delete')),
  CONSTRAINT sync_queue_status
    CHECK (status IN ('pending', 'claimed', 'queued', 'processed', 'failed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One change counter per entity. The triggers bump it in the same transaction as the change,
-- under the entity row's lock, so for one entity the counter grows in commit order; reading
-- an entity joined with its counter in one statement yields a state and its version together.
CREATE TABLE sync_versions (
  entity_type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  entity_id BIGINT UNSIGNED NOT NULL,
  version BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (entity_type, entity_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- migrate:down

DROP TABLE IF EXISTS sync_versions;
DROP TABLE IF EXISTS sync_queue;
