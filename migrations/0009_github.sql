CREATE TABLE `github_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`status` text NOT NULL,
	`installation_id` integer,
	`repository` text,
	`head_sha` text,
	`scan_id` text,
	`check_run_id` integer,
	`annotations_sent` integer DEFAULT 0 NOT NULL,
	`notes` text DEFAULT '[]' NOT NULL,
	`reason` text,
	`received_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `github_deliveries_received_idx` ON `github_deliveries` (`received_at`);--> statement-breakpoint
CREATE TABLE `github_installations` (
	`id` integer PRIMARY KEY NOT NULL,
	`account` text,
	`project_id` text,
	`fail_on` text DEFAULT 'high' NOT NULL,
	`repositories` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `github_installations_project_idx` ON `github_installations` (`project_id`);