CREATE TABLE `budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`amount_usd` real NOT NULL,
	`period` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_environment` text,
	`scope_slug` text,
	`scope_model` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `budgets_project_idx` ON `budgets` (`project_id`);--> statement-breakpoint
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
CREATE INDEX `user_share_rules_project_idx` ON `user_share_rules` (`project_id`);--> statement-breakpoint
ALTER TABLE `projects` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;