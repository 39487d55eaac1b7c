CREATE TABLE `chunk_results` (
	`upload_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`start_byte` integer NOT NULL,
	`end_byte` integer NOT NULL,
	`lines` integer NOT NULL,
	`records` integer NOT NULL,
	`parsed` integer NOT NULL,
	`unparsed` integer NOT NULL,
	`summary` text NOT NULL,
	`dedup` blob,
	PRIMARY KEY(`upload_id`, `chunk`),
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL,
	`caller` text NOT NULL,
	`transport` text NOT NULL,
	`service` text,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`payload` text NOT NULL,
	`replayed_at` integer,
	`replay_result` text
);
--> statement-breakpoint
CREATE INDEX `dead_letters_received` ON `dead_letters` (`received_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_service` ON `dead_letters` (`service`,`id`);--> statement-breakpoint
CREATE TABLE `entries` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` integer NOT NULL,
	`chunk` integer NOT NULL,
	`line` integer NOT NULL,
	`span` integer DEFAULT 1 NOT NULL,
	`offset` integer NOT NULL,
	`length` integer DEFAULT 0 NOT NULL,
	`ts` integer,
	`tz` text,
	`level` integer,
	`service` text,
	`host` text,
	`method` text,
	`path` text,
	`status` integer,
	`bytes` integer,
	`latency_ms` real,
	`message` text NOT NULL,
	`signature` integer,
	`template_id` text,
	`flags` integer DEFAULT 0 NOT NULL,
	`fields` text,
	`event_id` text,
	`received_at` integer
);
--> statement-breakpoint
CREATE INDEX `entries_source_level` ON `entries` (`source`,`level`);--> statement-breakpoint
CREATE INDEX `entries_source_status` ON `entries` (`source`,`status`) WHERE "entries"."status" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `entries_source_ts` ON `entries` (`source`,`ts`);--> statement-breakpoint
CREATE INDEX `entries_source_signature` ON `entries` (`source`,`signature`) WHERE "entries"."signature" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `live_stored` (
	`batch_id` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`stored_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metrics` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`service` text NOT NULL,
	`level` integer NOT NULL,
	`window_start` integer NOT NULL,
	`window_ms` integer NOT NULL,
	`count` integer NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metrics_key` ON `metrics` (`kind`,`service`,`level`,`window_start`,`window_ms`);--> statement-breakpoint
CREATE INDEX `metrics_time` ON `metrics` (`kind`,`window_start`);--> statement-breakpoint
CREATE TABLE `reports` (
	`upload_id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`json` text NOT NULL,
	`markdown` text NOT NULL,
	`html` text NOT NULL,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `saved_formats` (
	`name` text PRIMARY KEY NOT NULL,
	`pattern` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stage_results` (
	`upload_id` text NOT NULL,
	`stage` text NOT NULL,
	`json` text NOT NULL,
	PRIMARY KEY(`upload_id`, `stage`),
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `template_hours` (
	`service` text NOT NULL,
	`template_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`service`, `template_id`, `hour_start`)
);
--> statement-breakpoint
CREATE INDEX `template_hours_time` ON `template_hours` (`hour_start`);--> statement-breakpoint
CREATE TABLE `templates` (
	`service` text NOT NULL,
	`id` text NOT NULL,
	`template` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`first_source` text,
	PRIMARY KEY(`service`, `id`)
);
--> statement-breakpoint
CREATE TABLE `upload_jobs` (
	`upload_id` text NOT NULL,
	`stage` text NOT NULL,
	`part` integer NOT NULL,
	`state` text DEFAULT 'waiting' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`error` text,
	PRIMARY KEY(`upload_id`, `stage`, `part`),
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `upload_signatures` (
	`source` integer NOT NULL,
	`signature` integer NOT NULL,
	`template_id` text NOT NULL,
	PRIMARY KEY(`source`, `signature`)
);
--> statement-breakpoint
CREATE INDEX `upload_signatures_template` ON `upload_signatures` (`source`,`template_id`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`entry_base` integer NOT NULL,
	`created_at` integer NOT NULL,
	`filename` text NOT NULL,
	`stored_path` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`compression` text DEFAULT 'none' NOT NULL,
	`requested_format` text,
	`format` text,
	`format_confidence` real,
	`service` text,
	`options` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`lines` integer,
	`records` integer,
	`parsed` integer,
	`unparsed` integer,
	`dropped` integer,
	`error` text,
	`started_at` integer,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uploads_seq` ON `uploads` (`seq`);--> statement-breakpoint
CREATE INDEX `uploads_sha256` ON `uploads` (`sha256`);--> statement-breakpoint
CREATE TABLE `watch_matches` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`term` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `watch_matches_source` ON `watch_matches` (`source`,`entry_id`);--> statement-breakpoint
CREATE TABLE `watchlists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`terms` text NOT NULL,
	`false_positive_rate` real NOT NULL,
	`created_at` integer NOT NULL
);
