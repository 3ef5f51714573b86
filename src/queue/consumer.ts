/**
 * Queue consumers. Scan jobs: each message on its own (STYLE.md §5) — validated, its scan run
 * through the same runScan() as synchronous scans, then acked; a transient failure retries that
 * message alone with growing delays. Redelivery is harmless: a finished scan is acked untouched
 * and a half-written one is completed once (runScan replaces its findings). Dead letters: the
 * scan is marked failed with the reason and its waiting submission deleted, so no accepted scan
 * is lost or left queued forever.
 */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { getScan } from "../db/scan-queries";
import { scans } from "../db/schema";
import type { Env } from "../env";
import { failScan, runScan } from "../scans/run-scan";
import { ScanRequest } from "../scans/submission";
import { getUpload, uploadKey } from "../storage/objects";
import { ScanJob } from "./messages";

export const DEAD_LETTER_QUEUE = "pci-auditor-scan-jobs-dlq";

/** Delay before retry n (1-based): 5 s, 10 s, 20 s… capped at 10 minutes, with jitter. */
export function retryDelaySeconds(attempt: number, random = Math.random): number {
  const base = Math.min(600, 5 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deadLetters = batch.queue === DEAD_LETTER_QUEUE;
  for (const message of batch.messages) {
    const parsed = ScanJob.safeParse(message.body);
    if (!parsed.success) {
      log("warn", { queue: batch.queue, messageId: message.id, message: "malformed queue message dropped" });
      message.ack();
      continue;
    }
    try {
      if (deadLetters) await deadLetter(env, parsed.data, message.attempts);
      else await runJob(env, parsed.data);
      message.ack();
    } catch (error) {
      log("warn", { queue: batch.queue, scanId: parsed.data.scanId, attempt: message.attempts, message: "scan job failed; retrying", error: (error as Error)?.name });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

async function runJob(env: Env, job: ScanJob): Promise<void> {
  const db = database(env.DB);
  const scan = await getScan(db, job.projectId, job.scanId);
  if (!scan || scan.status === "completed" || scan.status === "failed") return;
  const upload = await getUpload(env.PROOFS, job.scanId);
  const request = ScanRequest.safeParse(upload);
  if (!request.success) {
    await failScan(env, job.scanId, upload === null ? "The submission was no longer stored." : "The stored submission is invalid.");
    await env.PROOFS.delete(uploadKey(job.scanId));
    return;
  }
  await db.update(scans).set({ status: "running", startedAt: Date.now(), attempts: scan.attempts + 1 }).where(eq(scans.id, job.scanId));
  await runScan(env, { scanId: job.scanId, projectId: job.projectId, request: request.data });
  await env.PROOFS.delete(uploadKey(job.scanId));
}

async function deadLetter(env: Env, job: ScanJob, attempts: number): Promise<void> {
  const scan = await getScan(database(env.DB), job.projectId, job.scanId);
  if (scan && scan.status !== "completed" && scan.status !== "failed") {
    await failScan(env, job.scanId, `The scan could not be completed after ${scan.attempts} attempts.`);
  }
  await env.PROOFS.delete(uploadKey(job.scanId));
  log("error", { queue: DEAD_LETTER_QUEUE, scanId: job.scanId, attempts, message: "scan job dead-lettered; scan marked failed" });
}

function log(level: "warn" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, ...fields });
  if (level === "error") console.error(line);
  else console.warn(line);
}
