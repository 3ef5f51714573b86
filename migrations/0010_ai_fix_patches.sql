CREATE TABLE `ai_fix_patches` (
	`window_hash` text NOT NULL,
	`model` text NOT NULL,
	`patch` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`window_hash`, `model`)
);
