ALTER TABLE `deliveries` ADD `queued_at` integer;--> statement-breakpoint
CREATE INDEX `deliveries_outbox_idx` ON `deliveries` (`queued_at`) WHERE status = 'pending';