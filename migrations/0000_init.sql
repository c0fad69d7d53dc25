CREATE TABLE `deployments` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`environment` text NOT NULL,
	`slug` text NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deployments_identity_idx` ON `deployments` (`project_id`,`environment`,`slug`);--> statement-breakpoint
CREATE TABLE `releases` (
	`deployment_id` text NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`provider` text DEFAULT '' NOT NULL,
	`prompt_version` text DEFAULT '' NOT NULL,
	`release` text DEFAULT '' NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`event_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_identity_idx` ON `releases` (`deployment_id`,`model`,`provider`,`prompt_version`,`release`);--> statement-breakpoint
CREATE INDEX `releases_deployment_idx` ON `releases` (`deployment_id`,`first_seen`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`message_id` text NOT NULL,
	`attempts` integer NOT NULL,
	`event_count` integer NOT NULL,
	`body` text NOT NULL,
	`reason` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`project_id` text NOT NULL,
	`id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`type` text NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`data` text NOT NULL,
	`applied` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `events_deployment_ts_idx` ON `events` (`deployment_id`,`ts`);--> statement-breakpoint
CREATE INDEX `events_received_idx` ON `events` (`received_at`);--> statement-breakpoint
CREATE INDEX `events_claims_idx` ON `events` (`applied`) WHERE applied != 1;--> statement-breakpoint
CREATE TABLE `rollups` (
	`deployment_id` text NOT NULL,
	`resolution` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`count` integer NOT NULL,
	`error_count` integer NOT NULL,
	`feedback_up` integer NOT NULL,
	`feedback_down` integer NOT NULL,
	`latency_p50` real,
	`latency_p95` real,
	`cost_usd` real NOT NULL,
	`summary` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`deployment_id`, `resolution`, `bucket_start`)
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_project_idx` ON `api_keys` (`project_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`retention_days` integer DEFAULT 30 NOT NULL,
	`price_overrides` text,
	`created_at` integer NOT NULL
);
