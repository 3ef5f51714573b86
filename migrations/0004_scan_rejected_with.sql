ALTER TABLE `scans` ADD `rejected_with` text;--> statement-breakpoint
-- Idempotency keys are now stored as SHA-256 hashes; keys stored verbatim before are dropped (their replays end).
UPDATE `scans` SET `idempotency_key` = NULL, `request_hash` = NULL WHERE `idempotency_key` IS NOT NULL;
