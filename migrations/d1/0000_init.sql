CREATE TABLE `failed_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text NOT NULL,
	`payload` text NOT NULL,
	`failed_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `failed_jobs_job_id_unique` ON `failed_jobs` (`job_id`);--> statement-breakpoint
CREATE INDEX `failed_jobs_entity` ON `failed_jobs` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `failed_jobs_failed_at` ON `failed_jobs` (`failed_at`);--> statement-breakpoint
CREATE TABLE `sync_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`version` integer,
	`attempt` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`error_code` text,
	`duration_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_attempts_entity` ON `sync_attempts` (`entity_type`,`entity_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_attempts_created` ON `sync_attempts` (`created_at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`version` integer NOT NULL,
	`content_hash` text,
	`deleted` integer DEFAULT false NOT NULL,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`entity_type`, `entity_id`)
);
--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`source` text NOT NULL,
	`delivery_id` text NOT NULL,
	`event` text NOT NULL,
	`received_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`source`, `delivery_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_expires_at` ON `webhook_receipts` (`expires_at`);