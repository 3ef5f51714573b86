-- A scan's status is one of the states src/scans/lifecycle.ts knows. SQLite cannot add a CHECK
-- constraint to an existing table without rebuilding it, and rebuilding `scans` on D1 (where
-- foreign keys cannot be turned off) would cascade-delete every finding, so triggers refuse the
-- other values instead: the same guarantee for inserts and updates.
CREATE TRIGGER `scans_status_check_insert` BEFORE INSERT ON `scans`
WHEN NEW.`status` NOT IN ('queued', 'running', 'completed', 'failed')
BEGIN
  SELECT RAISE(ABORT, 'scans.status must be queued, running, completed or failed');
END;--> statement-breakpoint
CREATE TRIGGER `scans_status_check_update` BEFORE UPDATE OF `status` ON `scans`
WHEN NEW.`status` NOT IN ('queued', 'running', 'completed', 'failed')
BEGIN
  SELECT RAISE(ABORT, 'scans.status must be queued, running, completed or failed');
END;
