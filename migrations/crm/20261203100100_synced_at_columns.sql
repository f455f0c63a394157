-- migrate:up

-- The worker stamps `synced_at` on a CRM row once Red 360 holds its current state. The
-- operator's tables may already have the column (the CRM's dashboard reads it), so it is
-- added only where it is missing. MySQL has no ADD COLUMN IF NOT EXISTS, hence the check
-- against information_schema.
CREATE PROCEDURE red360_add_synced_at(IN p_table VARCHAR(64))
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = p_table AND COLUMN_NAME = 'synced_at'
  ) THEN
    SET @red360_ddl = CONCAT('ALTER TABLE `', p_table, '` ADD COLUMN synced_at TIMESTAMP NULL');
    PREPARE red360_stmt FROM @red360_ddl;
    EXECUTE red360_stmt;
    DEALLOCATE PREPARE red360_stmt;
  END IF;
END;

CALL red360_add_synced_at('agencies');
CALL red360_add_synced_at('packages');
CALL red360_add_synced_at('users');
DROP PROCEDURE red360_add_synced_at;

-- migrate:down

-- Left in place: the column may have predated this migration and the CRM may read it.
SELECT 1;
