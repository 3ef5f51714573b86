/**
 * The emit point: when a scan ends (completed or failed), its event is recorded for every
 * enabled endpoint of the project subscribed to it and the deliveries are queued. Called from
 * the one place a scan's status becomes final; it never fails the scan: a webhook problem is
 * logged and reported, and the scan's own outcome stands.
 */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { scans } from "../db/schema";
import type { Env } from "../env";
import { withRetry } from "../limits/retry";
import { log } from "../observability/log";
import { enqueueEvent } from "./deliveries";
import { subscribedEndpoints } from "./endpoints";
import { scanEvent } from "./events";

/** Records and queues the scan's `scan.completed` / `scan.failed` event for its subscribed endpoints. */
export async function emitScanEvent(env: Env, scanId: string): Promise<void> {
  try {
    const db = database(env.DB);
    const scan = await withRetry("d1", () => db.select().from(scans).where(eq(scans.id, scanId)).get());
    if (!scan || (scan.status !== "completed" && scan.status !== "failed")) return;
    const endpoints = await withRetry("d1", () => subscribedEndpoints(db, scan.projectId, scan.status === "completed" ? "scan.completed" : "scan.failed"));
    if (endpoints.length === 0) return;
    await enqueueEvent(env, db, await scanEvent(scan), endpoints);
  } catch (error) {
    log("error", "scan event not recorded for webhooks", { scanId, error: (error as Error)?.name, detail: (error as Error)?.message });
  }
}
