CREATE TABLE `claims` (
	`token` integer PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `events_deployment_ts_idx`;--> statement-breakpoint
DROP INDEX `events_claims_idx`;--> statement-breakpoint
ALTER TABLE `events` ADD `claim` integer NOT NULL DEFAULT 0;--> statement-breakpoint
-- Carry unfinished work over: old claim tokens (applied > 1) become claims rows, and
-- stored-but-unclaimed events (applied = 0) join a claim the cron sweeper finishes.
UPDATE `events` SET `claim` = `applied` WHERE `applied` > 1;--> statement-breakpoint
UPDATE `events` SET `claim` = 1 WHERE `applied` = 0;--> statement-breakpoint
INSERT OR IGNORE INTO `claims` (`token`, `created_at`) SELECT DISTINCT `claim`, 0 FROM `events` WHERE `claim` != 0;--> statement-breakpoint
CREATE INDEX `events_claim_idx` ON `events` (`claim`);--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `applied`;
