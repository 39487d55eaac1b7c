CREATE TABLE `entry_segments` (
	`upload_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`column` text NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`upload_id`, `chunk`, `column`),
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `chunk_results` ADD `level_mask` integer;--> statement-breakpoint
ALTER TABLE `chunk_results` ADD `flag_mask` integer;--> statement-breakpoint
ALTER TABLE `chunk_results` ADD `status_set` blob;--> statement-breakpoint
ALTER TABLE `chunk_results` ADD `undated` integer;