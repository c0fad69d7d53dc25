CREATE TABLE `user_share_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`environment` text,
	`slug` text,
	`percent` real NOT NULL,
	`min_usd` real NOT NULL,
	`severity` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_share_rules_project_idx` ON `user_share_rules` (`project_id`);