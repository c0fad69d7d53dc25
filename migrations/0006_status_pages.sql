CREATE TABLE `dashboard_sessions` (
	`hash` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`key_id` text NOT NULL,
	`scopes` text NOT NULL,
	`csrf` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dashboard_sessions_expires_idx` ON `dashboard_sessions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `projects` ADD `status_slug` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `status_page` text;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_status_slug_unique` ON `projects` (`status_slug`);