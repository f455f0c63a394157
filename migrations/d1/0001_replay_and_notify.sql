ALTER TABLE `failed_jobs` ADD `replay_requested_at` integer;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `notify_digest` text;