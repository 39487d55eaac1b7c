ALTER TABLE `chunk_results` ADD `min_ts` integer;--> statement-breakpoint
ALTER TABLE `chunk_results` ADD `max_ts` integer;--> statement-breakpoint
-- Chunks written before the zone map existed: their span, read from their entries' id range (one
-- primary-key range scan per chunk).
UPDATE `chunk_results` SET
  `min_ts` = (SELECT min(e.ts) FROM `entries` e, `uploads` u WHERE u.id = `chunk_results`.`upload_id`
    AND e.id >= u.entry_base + `chunk_results`.`start_byte` AND e.id < u.entry_base + `chunk_results`.`end_byte`),
  `max_ts` = (SELECT max(e.ts) FROM `entries` e, `uploads` u WHERE u.id = `chunk_results`.`upload_id`
    AND e.id >= u.entry_base + `chunk_results`.`start_byte` AND e.id < u.entry_base + `chunk_results`.`end_byte`);
