-- migrate:up

-- Appends one outbox row for a change and bumps the entity's change counter. Called only from
-- the triggers below, inside the changing transaction.
CREATE PROCEDURE red360_record_change(
  IN p_entity_type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin,
  IN p_entity_id BIGINT UNSIGNED,
  IN p_action VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin
)
BEGIN
  INSERT INTO sync_versions (entity_type, entity_id, version)
  VALUES (p_entity_type, p_entity_id, 1)
  ON DUPLICATE KEY UPDATE version = version + 1;

  INSERT INTO sync_queue (entity_type, entity_id, action, version)
  SELECT p_entity_type, p_entity_id, p_action, version
  FROM sync_versions
  WHERE entity_type = p_entity_type AND entity_id = p_entity_id;
END;

-- Update triggers fire only when a column that Red 360 receives really changed, compared with
-- the NULL-safe <=> (a plain != is NULL, not true, when either side is NULL) on the binary
-- value (the tables' _ci collations would call 'Lima' and 'LIMA' equal). Columns owned by
-- Red 360 (social counters), bookkeeping (updated_at, synced_at) and anything else the CRM
-- keeps are left out, so writing them never causes a sync. A changed primary key is recorded
-- as a delete of the old id and a create of the new one.

CREATE TRIGGER red360_agencies_after_insert AFTER INSERT ON agencies FOR EACH ROW
  CALL red360_record_change('agency', NEW.id, 'create');

CREATE TRIGGER red360_agencies_after_update AFTER UPDATE ON agencies FOR EACH ROW
BEGIN
  IF NOT (OLD.id <=> NEW.id) THEN
    CALL red360_record_change('agency', OLD.id, 'delete');
    CALL red360_record_change('agency', NEW.id, 'create');
  ELSEIF NOT (
      CAST(OLD.`name` AS BINARY) <=> CAST(NEW.`name` AS BINARY)
      AND CAST(OLD.`slug` AS BINARY) <=> CAST(NEW.`slug` AS BINARY)
      AND CAST(OLD.`logo` AS BINARY) <=> CAST(NEW.`logo` AS BINARY)
      AND CAST(OLD.`description` AS BINARY) <=> CAST(NEW.`description` AS BINARY)
      AND CAST(OLD.`website` AS BINARY) <=> CAST(NEW.`website` AS BINARY)
      AND CAST(OLD.`phone` AS BINARY) <=> CAST(NEW.`phone` AS BINARY)
      AND CAST(OLD.`email` AS BINARY) <=> CAST(NEW.`email` AS BINARY)
      AND CAST(OLD.`address` AS BINARY) <=> CAST(NEW.`address` AS BINARY)
      AND CAST(OLD.`status` AS BINARY) <=> CAST(NEW.`status` AS BINARY)
      AND CAST(OLD.`social_links` AS BINARY) <=> CAST(NEW.`social_links` AS BINARY)
      AND CAST(OLD.`social_verified` AS BINARY) <=> CAST(NEW.`social_verified` AS BINARY)
  ) THEN
    CALL red360_record_change('agency', NEW.id, 'update');
  END IF;
END;

CREATE TRIGGER red360_agencies_after_delete AFTER DELETE ON agencies FOR EACH ROW
  CALL red360_record_change('agency', OLD.id, 'delete');

CREATE TRIGGER red360_packages_after_insert AFTER INSERT ON packages FOR EACH ROW
  CALL red360_record_change('package', NEW.id, 'create');

CREATE TRIGGER red360_packages_after_update AFTER UPDATE ON packages FOR EACH ROW
BEGIN
  IF NOT (OLD.id <=> NEW.id) THEN
    CALL red360_record_change('package', OLD.id, 'delete');
    CALL red360_record_change('package', NEW.id, 'create');
  ELSEIF NOT (
      CAST(OLD.`agency_id` AS BINARY) <=> CAST(NEW.`agency_id` AS BINARY)
      AND CAST(OLD.`title` AS BINARY) <=> CAST(NEW.`title` AS BINARY)
      AND CAST(OLD.`details` AS BINARY) <=> CAST(NEW.`details` AS BINARY)
      AND CAST(OLD.`destination` AS BINARY) <=> CAST(NEW.`destination` AS BINARY)
      AND CAST(OLD.`origin` AS BINARY) <=> CAST(NEW.`origin` AS BINARY)
      AND CAST(OLD.`include` AS BINARY) <=> CAST(NEW.`include` AS BINARY)
      AND CAST(OLD.`no_include` AS BINARY) <=> CAST(NEW.`no_include` AS BINARY)
      AND CAST(OLD.`main_image` AS BINARY) <=> CAST(NEW.`main_image` AS BINARY)
      AND CAST(OLD.`gallery_images` AS BINARY) <=> CAST(NEW.`gallery_images` AS BINARY)
      AND CAST(OLD.`status` AS BINARY) <=> CAST(NEW.`status` AS BINARY)
      AND CAST(OLD.`featured` AS BINARY) <=> CAST(NEW.`featured` AS BINARY)
      AND CAST(OLD.`social_visibility` AS BINARY) <=> CAST(NEW.`social_visibility` AS BINARY)
  ) THEN
    CALL red360_record_change('package', NEW.id, 'update');
  END IF;
END;

CREATE TRIGGER red360_packages_after_delete AFTER DELETE ON packages FOR EACH ROW
  CALL red360_record_change('package', OLD.id, 'delete');

CREATE TRIGGER red360_users_after_insert AFTER INSERT ON users FOR EACH ROW
  CALL red360_record_change('user', NEW.id, 'create');

CREATE TRIGGER red360_users_after_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (OLD.id <=> NEW.id) THEN
    CALL red360_record_change('user', OLD.id, 'delete');
    CALL red360_record_change('user', NEW.id, 'create');
  ELSEIF NOT (
      CAST(OLD.`agency_id` AS BINARY) <=> CAST(NEW.`agency_id` AS BINARY)
      AND CAST(OLD.`name` AS BINARY) <=> CAST(NEW.`name` AS BINARY)
      AND CAST(OLD.`email` AS BINARY) <=> CAST(NEW.`email` AS BINARY)
      AND CAST(OLD.`phone` AS BINARY) <=> CAST(NEW.`phone` AS BINARY)
      AND CAST(OLD.`avatar` AS BINARY) <=> CAST(NEW.`avatar` AS BINARY)
      AND CAST(OLD.`role` AS BINARY) <=> CAST(NEW.`role` AS BINARY)
      AND CAST(OLD.`status` AS BINARY) <=> CAST(NEW.`status` AS BINARY)
  ) THEN
    CALL red360_record_change('user', NEW.id, 'update');
  END IF;
END;

CREATE TRIGGER red360_users_after_delete AFTER DELETE ON users FOR EACH ROW
  CALL red360_record_change('user', OLD.id, 'delete');

-- migrate:down

DROP TRIGGER IF EXISTS red360_agencies_after_insert;
DROP TRIGGER IF EXISTS red360_agencies_after_update;
DROP TRIGGER IF EXISTS red360_agencies_after_delete;
DROP TRIGGER IF EXISTS red360_packages_after_insert;
DROP TRIGGER IF EXISTS red360_packages_after_update;
DROP TRIGGER IF EXISTS red360_packages_after_delete;
DROP TRIGGER IF EXISTS red360_users_after_insert;
DROP TRIGGER IF EXISTS red360_users_after_update;
DROP TRIGGER IF EXISTS red360_users_after_delete;
DROP PROCEDURE IF EXISTS red360_record_change;
