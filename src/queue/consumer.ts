/**
 * Queue consumers. Jobs: each message on its own (STYLE.md §5) — validated, worked, then acked; a
 * transient failure retries that message alone with growing delays, while one retrying cannot
 * fix (the engine failed on the input, D1 refused the results' size) fails the scan at once
 * with its reason. A "scan" job runs through the same runScan() as synchronous scans; every
 * status change goes through the scan lifecycle (src/scans/lifecycle.ts), so redelivery is
 * harmless: a finished scan is acked untouched and a half-written one is completed once (runScan
 * replaces its findings), with AI-proposed patches when it asked for `explain`. An "explain" job adds AI explanations. Dead letters: the
 * scan is marked failed with the reason and its waiting submission deleted, so no accepted scan
 * is lost or left queued forever. A "webhook" job makes one delivery attempt (webhooks/deliver.ts
 * schedules its own retries); a dead-lettered one is recorded as given up. A "github-check" job
 * (src/github/check-job.ts) acks, re-queues on GitHub's rate limits, or asks for a retry itself;
 * dead-lettered, it ends failed with its check run concluded.
 * Each batch gets its own Sentry client; failed jobs are reported, scrubbed.
 */
import { enrichScan, explainerFor } from "../ai/enrich";
import type { Fixer } from "../ai/fixer";
import { fixerFor } from "../ai/propose-fixes";
import { abandonGithubCheck, handleGithubCheck, type CheckJobDeps } from "../github/check-job";
import type { Explainer } from "../ai/explainer";
import { database } from "../db/client";
import { getScan } from "../db/scan-queries";
import type { Env } from "../env";
import { withRetry } from "../limits/retry";
import { log } from "../observability/log";
import { createSentry } from "../observability/sentry";
import { failScan, isFinished, startScan } from "../scans/lifecycle";
import { runScan, unretryableReason } from "../scans/run-scan";
import { ScanRequest } from "../scans/submission";
import { deleteUpload, getUpload } from "../storage/objects";
import { attemptDelivery, type DeliveryDeps } from "../webhooks/deliver";
import { giveUp } from "../webhooks/deliveries";
import { ScanJob } from "./messages";

export const DEAD_LETTER_QUEUE = "pci-auditor-scan-jobs-dlq";

/** Delay before retry n (1-based): 5 s, 10 s, 20 s… capped at 10 minutes, with ±20% jitter. */
export function retryDelaySeconds(attempt: number, random = Math.random): number {
  const base = Math.min(600, 5 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface QueueDeps {
  /** The AI explainer; defaults to Workers AI when the binding is usable. */
  explainer?: Explainer | null;
  /** The AI patch proposer for scans that ask for `explain`; defaults to Workers AI when the binding is usable. */
  fixer?: Fixer | null;
  /** The webhook receiver's side (fetch) and clock; production uses the global fetch. */
  webhooks?: DeliveryDeps;
  /** How GitHub check jobs reach GitHub; defaults to the global fetch. */
  github?: CheckJobDeps;
}

/** What a job is about, for log lines and Sentry. */
function subject(job: ScanJob): Record<string, unknown> {
  if (job.kind === "github-check") return { githubDelivery: job.deliveryId };
  return job.kind === "webhook" ? { deliveryId: job.deliveryId, deliveryAttempt: job.attempt } : { scanId: job.scanId };
}

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx?: ExecutionContext, deps: QueueDeps = {}): Promise<void> {
  const deadLetters = batch.queue === DEAD_LETTER_QUEUE;
  const sentry = ctx ? createSentry(env, ctx) : null;
  for (const message of batch.messages) {
    const started = Date.now();
    const parsed = ScanJob.safeParse(message.body);
    if (!parsed.success) {
      log("warn", "malformed queue message dropped", { queue: batch.queue, messageId: message.id });
      message.ack();
      continue;
    }
    const job = parsed.data;
    if (job.kind === "github-check") {
      const retry = () => message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      try {
        if (deadLetters) {
          await abandonGithubCheck(env, job, `The check could not be completed after ${message.attempts} attempts.`, deps.github);
          message.ack();
        } else await handleGithubCheck(env, job, { ack: () => message.ack(), retry }, deps.github);
      } catch (error) {
        sentry?.captureException(error);
        log("warn", "github check job failed; retrying", { queue: batch.queue, ...subject(job), attempt: message.attempts, error: (error as Error)?.name });
        retry();
      }
      continue;
    }
    try {
      if (job.kind === "webhook") {
        if (deadLetters) await giveUp(database(env.DB), job.deliveryId, "undeliverable_job");
        else log("info", "webhook attempt", { ...subject(job), outcome: await attemptDelivery(env, job, deps.webhooks) });
      } else if (deadLetters) await deadLetter(env, job, message.attempts);
      else if (job.kind === "scan") await runJob(env, job, deps.fixer === undefined ? fixerFor(env) : deps.fixer);
      else {
        const outcome = await enrichScan(env, job.scanId, job.projectId, deps.explainer === undefined ? explainerFor(env) : deps.explainer);
        log("info", "explain job", { scanId: job.scanId, ...outcome });
      }
      message.ack();
      log("info", "job", {
        queue: batch.queue,
        kind: job.kind,
        ...subject(job),
        attempt: message.attempts,
        durationMs: Date.now() - started,
        outcome: "acked",
      });
    } catch (error) {
      sentry?.setExtras({ ...subject(job), kind: job.kind, attempt: message.attempts });
      sentry?.captureException(error);
      log("warn", "job failed; retrying", {
        queue: batch.queue,
        kind: job.kind,
        ...subject(job),
        attempt: message.attempts,
        error: (error as Error)?.name,
        detail: (error as Error)?.message,
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

async function runJob(env: Env, job: Extract<ScanJob, { kind: "scan" }>, fixer: Fixer | null): Promise<void> {
  const db = database(env.DB);
  const scan = await withRetry("d1", () => getScan(db, job.projectId, job.scanId));
  if (!scan || isFinished(scan.status)) return;
  const upload = await getUpload(env.PROOFS, job.scanId);
  const request = ScanRequest.safeParse(upload);
  if (!request.success) {
    await failScan(env, job.scanId, upload === null ? "The submission was no longer stored." : "The stored submission is invalid.", { by: "server" });
    await deleteUpload(env.PROOFS, job.scanId);
    return;
  }
  if (!(await startScan(env, job.scanId))) return;
  try {
    await runScan(env, { scanId: job.scanId, projectId: job.projectId, request: request.data }, { fixer });
  } catch (error) {
    // Poison input fails at once with its reason; only what may be transient goes back to the queue.
    const reason = unretryableReason(error);
    if (reason === null) throw error;
    await failScan(env, job.scanId, reason, { by: "input" });
    await deleteUpload(env.PROOFS, job.scanId).catch(() => undefined);
    log("warn", "scan failed: retrying cannot fix it", { scanId: job.scanId, error: (error as Error)?.name, reason });
    return;
  }
  if (request.data.options.explain) await env.SCAN_JOBS.send({ kind: "explain", scanId: job.scanId, projectId: job.projectId });
  await deleteUpload(env.PROOFS, job.scanId).catch((error) =>
    log("warn", "upload not deleted; the retention sweep will", { scanId: job.scanId, error: (error as Error)?.name }),
  );
}

async function deadLetter(env: Env, job: Extract<ScanJob, { kind: "scan" | "explain" }>, attempts: number): Promise<void> {
  if (job.kind === "explain") {
    log("warn", "explain job dead-lettered; findings keep their written remediation", { scanId: job.scanId });
    return;
  }
  const scan = await getScan(database(env.DB), job.projectId, job.scanId);
  // Refused (and so harmless) when the scan finished after all.
  if (scan) await failScan(env, job.scanId, `The scan could not be completed after ${scan.attempts} attempts.`, { by: "server" });
  // Best effort: the scan is already marked failed, and the retention sweep removes leftovers.
  await deleteUpload(env.PROOFS, job.scanId).catch(() => undefined);
  log("error", "scan job dead-lettered; scan marked failed", { queue: DEAD_LETTER_QUEUE, scanId: job.scanId, attempts });
}
