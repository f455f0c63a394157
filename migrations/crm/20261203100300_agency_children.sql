-- migrate:up

-- MySQL and MariaDB fire no triggers for rows that a foreign key's ON DELETE CASCADE or
-- ON DELETE SET NULL changes. Where the CRM's `packages.agency_id` or `users.agency_id` has
-- such a key, deleting an agency would remove (or detach) its packages and users without an
-- outbox row, and Red 360 would keep them. So before an agency row goes, record a change for
-- each of its packages and users: bump the child's counter and append an 'update' row with
-- the new version. This is right whatever the foreign key does, because the sync consumer
-- reads the child's current row when it handles the job: a child the cascade removed is sent
-- as a delete, a child that still exists (SET NULL, or no foreign key at all) is sent again
-- as it now stands. If the foreign key is RESTRICT (or NO ACTION) and the delete fails, the
-- statement is rolled back, and these rows with it.
-- Set-based, one statement per step rather than a cursor. The counters are bumped first, then
-- the outbox rows read the new versions back. The string literals take the ascii_bin
-- collation of the columns they are compared with or stored in. `sync_versions.version` is
-- spelled out in the ON DUPLICATE KEY UPDATE clause so that a `version` column the CRM may
-- have on `packages` or `users` cannot make it ambiguous. Where a foreign key exists, its
-- index on `agency_id` serves the lookups.
CREATE TRIGGER red360_agencies_before_delete BEFORE DELETE ON agencies FOR EACH ROW
BEGIN
  INSERT INTO sync_versions (entity_type, entity_id, version)
  SELECT 'package', p.id, 1 FROM packages AS p WHERE p.agency_id = OLD.id
  ON DUPLICATE KEY UPDATE sync_versions.version = sync_versions.version + 1;

  INSERT INTO sync_queue (entity_type, entity_id, action, version)
  SELECT 'package', p.id, 'update', v.version
  FROM packages AS p
  JOIN sync_versions AS v ON v.entity_type = 'package' AND v.entity_id = p.id
  WHERE p.agency_id = OLD.id
  ORDER BY p.id;

  INSERT INTO sync_versions (entity_type, entity_id, version)
  SELECT 'user', u.id, 1 FROM users AS u WHERE u.agency_id = OLD.id
  ON DUPLICATE KEY UPDATE sync_versions.version = sync_versions.version + 1;

  INSERT INTO sync_queue (entity_type, entity_id, action, version)
  SELECT 'user', u.id, 'update', v.version
  FROM users AS u
  JOIN sync_versions AS v ON v.entity_type = 'user' AND v.entity_id = u.id
  WHERE u.agency_id = OLD.id
  ORDER BY u.id;
END;

-- migrate:down

DROP TRIGGER IF EXISTS red360_agencies_before_delete;
