CREATE TABLE `release_verdicts` (
	`id` text PRIMARY KEY NOT NULL,
	`deployment_id` text NOT NULL,
	`candidate_key` text NOT NULL,
	`candidate` text NOT NULL,
	`incumbent` text,
	`state` text NOT NULL,
	`reason` text,
	`started_at` integer NOT NULL,
	`decided_at` integer,
	`updated_at` integer NOT NULL,
	`analysis` text,
	`signals` text NOT NULL,
	`share` real,
	`git_sha` text,
	`planned_share` real,
	`margins` text,
	`announced_at` integer
);
--> statement-breakpoint
CREATE INDEX `release_verdicts_deployment_idx` ON `release_verdicts` (`deployment_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `release_verdicts_candidate_idx` ON `release_verdicts` (`deployment_id`,`candidate_key`);--> statement-breakpoint
CREATE INDEX `release_verdicts_state_idx` ON `release_verdicts` (`state`);