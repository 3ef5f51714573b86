/**
 * Scheduled sweeps (cron trigger), so that nothing is lost and nothing outlives its retention:
 * - stuck scans: queued or running past STUCK_SCAN_MINUTES are re-queued while their submission
 *   is still in R2 and attempts remain, otherwise failed with a reason, through the scan
 *   lifecycle (a scan a consumer took meanwhile is left to it), each D1 and queue call retried;
 * - retention: scans older than RETENTION_DAYS are deleted with their findings and R2 objects,
 *   and submissions left in R2 by finished scans are removed, as are GitHub delivery records as old.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { database } from "../db/client";
import { deleteDeliveriesBefore } from "../github/deliveries";
import { deleteScanRows } from "../db/scan-queries";
import { scans } from "../db/schema";
import type { Env } from "../env";
import { settings } from "../settings";
import { log } from "../observability/log";
import { deleteScanObjects, deleteUpload, uploadKey } from "../storage/objects";
import { withRetry } from "../limits/retry";
import { failScan, isFinished, requeueScan } from "./lifecycle";

/** Attempts (deliveries) after which a stuck scan is failed instead of re-queued. */
export const MAX_SCAN_ATTEMPTS = 6;
const SWEEP_BATCH = 100;

export interface SweepReport {
  requeued: string[];
  failed: string[];
  deleted: string[];
}

export async function sweepStuckScans(env: Env, now: number): Promise<Pick<SweepReport, "requeued" | "failed">> {
  const cutoff = now - settings(env).STUCK_SCAN_MINUTES * 60_000;
  const db = database(env.DB);
  // started_at marks when a scan was last taken or re-queued, so a queued scan waits a full period after either.
  const stuck = await withRetry("d1", () =>
    db
      .select({ id: scans.id, projectId: scans.projectId, status: scans.status, attempts: scans.attempts })
      .from(scans)
      .where(
        or(
          and(eq(scans.status, "running"), lt(scans.startedAt, cutoff)),
          and(eq(scans.status, "queued"), lt(scans.createdAt, cutoff), or(isNull(scans.startedAt), lt(scans.startedAt, cutoff))),
        ),
      )
      .limit(SWEEP_BATCH)
      .all(),
  );
  const requeued: string[] = [];
  const failed: string[] = [];
  for (const row of stuck) {
    const hasUpload = (await withRetry("r2", () => env.PROOFS.head(uploadKey(row.id)))) !== null;
    if (hasUpload && row.attempts < MAX_SCAN_ATTEMPTS) {
      if (!(await requeueScan(env, row, now))) continue;
      // Should the send fail after all, the scan stays queued and the next sweep re-queues it again.
      await withRetry("queue", () => env.SCAN_JOBS.send({ kind: "scan", scanId: row.id, projectId: row.projectId }));
      requeued.push(row.id);
    } else {
      const reason = hasUpload ? `The scan made no progress after ${row.attempts} attempts.` : "The scan stopped before it completed and cannot be resumed.";
      if (!(await failScan(env, row.id, reason, { by: "server" }))) continue;
      if (hasUpload) await deleteUpload(env.PROOFS, row.id);
      failed.push(row.id);
    }
  }
  if (requeued.length || failed.length) log("warn", "stuck scans swept", { requeued: requeued.length, failed: failed.length });
  return { requeued, failed };
}

export async function sweepRetention(env: Env, now: number): Promise<Pick<SweepReport, "deleted">> {
  const cutoff = now - settings(env).RETENTION_DAYS * 86_400_000;
  const rows = await env.DB.prepare("SELECT id, project_id FROM scans WHERE created_at < ? LIMIT ?")
    .bind(cutoff, SWEEP_BATCH)
    .all<{ id: string; project_id: string }>();
  const db = database(env.DB);
  const deleted: string[] = [];
  for (const row of rows.results) {
    await deleteScanObjects(env.PROOFS, row.id);
    await deleteScanRows(db, row.project_id, row.id);
    deleted.push(row.id);
  }
  // Submissions whose scan finished (or no longer exists) but whose deletion failed at the time.
  const uploads = await env.PROOFS.list({ prefix: "uploads/", limit: SWEEP_BATCH });
  for (const object of uploads.objects) {
    if (now - object.uploaded.getTime() < 3_600_000) continue;
    const id = object.key.slice("uploads/".length, -".json".length);
    const scan = await db.select({ status: scans.status }).from(scans).where(eq(scans.id, id)).get();
    if (!scan || isFinished(scan.status)) await deleteUpload(env.PROOFS, id);
  }
  await deleteDeliveriesBefore(db, cutoff);
  if (deleted.length) log("info", "retention sweep", { deleted: deleted.length });
  return { deleted };
}
