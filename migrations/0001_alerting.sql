CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`before` text,
	`after` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_project_idx` ON `audit_log` (`project_id`,`at`);--> statement-breakpoint
CREATE TABLE `baselines` (
	`id` text PRIMARY KEY NOT NULL,
	`deployment_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`from` integer NOT NULL,
	`to` integer NOT NULL,
	`release` text,
	`data` text NOT NULL,
	`count` integer NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `baselines_deployment_idx` ON `baselines` (`deployment_id`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `channels_project_idx` ON `channels` (`project_id`);--> statement-breakpoint
CREATE TABLE `check_results` (
	`deployment_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`minute` integer NOT NULL,
	`outcome` text NOT NULL,
	`value` real,
	`baseline_value` real,
	`statistic` real,
	`threshold` real,
	`message` text NOT NULL,
	PRIMARY KEY(`deployment_id`, `rule_id`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `check_results_minute_idx` ON `check_results` (`minute`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`incident_ids` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_project_idx` ON `deliveries` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`last_check` text,
	`started_at` integer NOT NULL,
	`firing_at` integer,
	`resolved_at` integer,
	`acked_at` integer,
	`silenced_until` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_project_idx` ON `incidents` (`project_id`,`status`,`started_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_open_idx` ON `incidents` (`fingerprint`) WHERE status != 'resolved';--> statement-breakpoint
CREATE TABLE `rules` (
	`id` text NOT NULL,
	`project_id` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `id`)
);
