ALTER TABLE `projects` ADD `hash_secret` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `drop_pii_tags` integer DEFAULT false NOT NULL;