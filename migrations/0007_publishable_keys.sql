ALTER TABLE `api_keys` ADD `kind` text DEFAULT 'secret' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `allowed_origins` text;--> statement-breakpoint
CREATE INDEX `api_keys_publishable_idx` ON `api_keys` (`kind`,`revoked_at`) WHERE "api_keys"."kind" = 'publishable';--> statement-breakpoint
ALTER TABLE `scans` ADD `created_by_key` text;