ALTER TABLE `projects` ADD `rollup_retention_days` integer DEFAULT 400 NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `rollups_expiry_idx` ON `rollups` (`resolution`,`bucket_start`);