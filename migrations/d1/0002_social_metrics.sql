CREATE TABLE `social_metrics` (
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`followers_count` integer,
	`social_rating` real,
	`likes_count` integer,
	`comments_count` integer,
	`views_count` integer,
	`rating` real,
	`as_of` integer NOT NULL,
	`received_at` integer NOT NULL,
	`dirty` integer DEFAULT true NOT NULL,
	`flushed_at` integer,
	PRIMARY KEY(`entity_type`, `entity_id`)
);
--> statement-breakpoint
CREATE INDEX `social_metrics_dirty` ON `social_metrics` (`dirty`);