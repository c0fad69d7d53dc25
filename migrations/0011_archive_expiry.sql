CREATE TABLE `archive_expiry` (
	`deployment_id` text PRIMARY KEY NOT NULL,
	`expired_to` integer NOT NULL
);
