/**
 * GitHub deliveries by X-GitHub-Delivery: the one module that writes `github_deliveries`. Claiming
 * a delivery inserts its row or finds it there already (a redelivery, answered without a second
 * scan); a queued check job records its progress on the row so a retry resumes where it stopped.
 */
import { eq, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { githubDeliveries } from "../db/schema";
import { maskCardNumbers } from "../engine/mask";
import { clipScrubbed } from "../observability/scrub";

export type DeliveryRow = typeof githubDeliveries.$inferSelect;
/** queued: a check job is on the queue; recorded: an installation event was applied; ignored: nothing to do. */
export type DeliveryStatus = "queued" | "recorded" | "ignored" | "completed" | "failed";

export interface DeliveryClaim {
  id: string;
  event: string;
  status: DeliveryStatus;
  installationId?: number;
  repository?: string;
  headSha?: string;
  reason?: string;
}

/** Inserts the delivery; false when its id was seen before (a redelivery). */
export async function claimDelivery(db: Db, claim: DeliveryClaim, now = Date.now()): Promise<boolean> {
  const inserted = await db
    .insert(githubDeliveries)
    .values({
      ...claim,
      repository: claim.repository === undefined ? undefined : maskCardNumbers(claim.repository),
      reason: claim.reason ? clipScrubbed(claim.reason, 500) : null,
      receivedAt: now,
      finishedAt: claim.status === "queued" ? null : now,
    })
    .onConflictDoNothing()
    .returning({ id: githubDeliveries.id });
  return inserted.length > 0;
}

/** Forgets a claim whose work could not be queued, so GitHub's redelivery is handled. */
export async function releaseDelivery(db: Db, id: string): Promise<void> {
  await db.delete(githubDeliveries).where(eq(githubDeliveries.id, id));
}

export function getDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.select().from(githubDeliveries).where(eq(githubDeliveries.id, id)).get();
}

/** Progress of a queued check job: the check run it opened, the scan it made, annotations sent. */
export async function recordProgress(
  db: Db,
  id: string,
  progress: Partial<Pick<DeliveryRow, "checkRunId" | "scanId" | "annotationsSent" | "notes">>,
): Promise<void> {
  await db.update(githubDeliveries).set(progress).where(eq(githubDeliveries.id, id));
}

/** The check job ended: completed (check run concluded) or failed (with our reason). */
export async function finishDelivery(db: Db, id: string, status: "completed" | "failed", reason?: string, now = Date.now()): Promise<void> {
  await db
    .update(githubDeliveries)
    .set({ status, reason: reason ? clipScrubbed(reason, 500) : null, finishedAt: now })
    .where(eq(githubDeliveries.id, id));
}

/** Forgets deliveries received before `cutoff` (the retention sweep): GitHub redelivers only recent ones. */
export async function deleteDeliveriesBefore(db: Db, cutoff: number): Promise<void> {
  await db.delete(githubDeliveries).where(lt(githubDeliveries.receivedAt, cutoff));
}
