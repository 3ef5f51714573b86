CREATE TABLE `ai_explanations` (
	`fingerprint` text NOT NULL,
	`model` text NOT NULL,
	`explanation` text NOT NULL,
	`fix` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`fingerprint`, `model`)
);
--> statement-breakpoint
ALTER TABLE `findings` ADD `explanation` text;