-- Audit entries name the key (its name at the time) and the request that made each change.
ALTER TABLE `audit_log` ADD `actor_name` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `request_id` text;