CREATE TABLE `deployment_creators` (
	`project_id` text NOT NULL,
	`environment` text NOT NULL,
	`slug` text NOT NULL,
	`key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `environment`, `slug`)
);
--> statement-breakpoint
CREATE INDEX `deployment_creators_key_idx` ON `deployment_creators` (`project_id`,`key_id`);