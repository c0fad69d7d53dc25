CREATE TABLE `status_announcements` (
	`project_id` text NOT NULL,
	`event_key` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `event_key`)
);
--> statement-breakpoint
CREATE TABLE `status_subscribers` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`token` text NOT NULL,
	`components` text,
	`status` text NOT NULL,
	`address_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`confirmed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `status_subscribers_project_idx` ON `status_subscribers` (`project_id`,`status`);--> statement-breakpoint
CREATE INDEX `status_subscribers_address_idx` ON `status_subscribers` (`address_hash`,`created_at`);