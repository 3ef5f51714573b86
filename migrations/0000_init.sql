CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_idx` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_project_idx` ON `api_keys` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `findings` (
	`scan_id` text NOT NULL,
	`id` text NOT NULL,
	`rule_id` text NOT NULL,
	`severity` text NOT NULL,
	`severity_rank` integer NOT NULL,
	`confidence` text NOT NULL,
	`title` text NOT NULL,
	`message` text NOT NULL,
	`path` text NOT NULL,
	`start_line` integer NOT NULL,
	`start_column` integer NOT NULL,
	`end_line` integer NOT NULL,
	`end_column` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`snippet` text NOT NULL,
	`details` text NOT NULL,
	`proof` text,
	`proof_key` text,
	PRIMARY KEY(`scan_id`, `id`),
	FOREIGN KEY (`scan_id`) REFERENCES `scans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `findings_scan_severity_idx` ON `findings` (`scan_id`,`severity_rank`,`path`,`start_line`);--> statement-breakpoint
CREATE INDEX `findings_scan_rule_idx` ON `findings` (`scan_id`,`rule_id`);--> statement-breakpoint
CREATE INDEX `findings_fingerprint_idx` ON `findings` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scans` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`status` text NOT NULL,
	`content_hash` text NOT NULL,
	`engine_version` text NOT NULL,
	`options` text NOT NULL,
	`file_count` integer NOT NULL,
	`byte_count` integer NOT NULL,
	`findings_total` integer DEFAULT 0 NOT NULL,
	`findings_critical` integer DEFAULT 0 NOT NULL,
	`findings_high` integer DEFAULT 0 NOT NULL,
	`findings_medium` integer DEFAULT 0 NOT NULL,
	`findings_low` integer DEFAULT 0 NOT NULL,
	`findings_info` integer DEFAULT 0 NOT NULL,
	`notifications` text DEFAULT '[]' NOT NULL,
	`error` text,
	`idempotency_key` text,
	`request_hash` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scans_project_created_idx` ON `scans` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `scans_project_status_idx` ON `scans` (`project_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `scans_project_hash_idx` ON `scans` (`project_id`,`content_hash`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `scans_project_idempotency_idx` ON `scans` (`project_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `scans_status_started_idx` ON `scans` (`status`,`started_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`scan_id` text,
	`event_type` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_project_idx` ON `webhook_endpoints` (`project_id`);