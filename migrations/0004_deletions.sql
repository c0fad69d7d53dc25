CREATE TABLE `deletions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`project_id` text NOT NULL,
	`deployment_id` text,
	`actor` text NOT NULL,
	`requested_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `deletions_project_idx` ON `deletions` (`project_id`,`deployment_id`);