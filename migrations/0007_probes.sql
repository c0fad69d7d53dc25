CREATE TABLE `probe_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`probe_id` text NOT NULL,
	`project_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`latency_ms` real,
	`ttft_ms` real,
	`score` real,
	`error` text,
	`assertions` text NOT NULL,
	`answer_excerpt` text
);
--> statement-breakpoint
CREATE INDEX `probe_runs_probe_idx` ON `probe_runs` (`probe_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `probes` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`definition` text NOT NULL,
	`secret_headers` text NOT NULL,
	`enabled` integer NOT NULL,
	`next_run_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `probes_project_idx` ON `probes` (`project_id`);--> statement-breakpoint
CREATE INDEX `probes_due_idx` ON `probes` (`enabled`,`next_run_at`);