ALTER TABLE `projects` ADD `clerk_org_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `projects_clerk_org_idx` ON `projects` (`clerk_org_id`);