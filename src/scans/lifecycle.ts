/**
 * A scan's lifecycle, the only writer of its status. A scan is created queued (waiting for the
 * queue consumer) or running (scanned inside the request); it starts (again) when a consumer
 * takes it, completes, fails, or is re-queued by the stuck-scan sweep. Completed and failed are
 * final. Each transition is one guarded UPDATE (compare-and-set in SQL: it applies only while the
 * row is in a state the transition may leave), so whoever comes late — a redelivered message, a
 * consumer that outlived the sweep, a sweep racing a consumer — changes nothing and is told so.
 * The GitHub and widget entry points create scans through the same createScan().
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { newId } from "../auth/api-keys";
import { database, type Db } from "../db/client";
import type { ScanRow } from "../db/scan-queries";
import { scans, type ScanStatus } from "../db/schema";
import { ENGINE_VERSION } from "../engine/version";
import type { Env } from "../env";
import type { ErrorCode } from "../errors";
import { withRetry } from "../limits/retry";
import { clipScrubbed } from "../observability/scrub";
import { emitScanEvent } from "../webhooks/emit";

/** States a scan leaves only through a transition; completed and failed are final. */
export const UNFINISHED = ["queued", "running"] as const satisfies readonly ScanStatus[];

/** Each transition, the states it may leave and the state it enters. */
export const TRANSITIONS = {
  /** A consumer takes the scan; from running too, as a redelivered message resumes an attempt that died. */
  start: { from: UNFINISHED, to: "running" },
  /** The result is stored; from queued too, when the sweep re-queued a scan whose consumer was only slow. */
  complete: { from: UNFINISHED, to: "completed" },
  fail: { from: UNFINISHED, to: "failed" },
  /** The sweep hands a stuck scan back to the queue. */
  requeue: { from: UNFINISHED, to: "queued" },
} as const satisfies Record<string, { from: readonly ScanStatus[]; to: ScanStatus }>;

export type Transition = keyof typeof TRANSITIONS;

export function isFinished(status: ScanStatus): boolean {
  return !(UNFINISHED as readonly ScanStatus[]).includes(status);
}

/** The guard of a transition: this scan, in a state the transition may leave. */
function leaving(scanId: string, transition: Transition) {
  return and(eq(scans.id, scanId), inArray(scans.status, [...TRANSITIONS[transition].from]));
}

export interface NewScan {
  projectId: string;
  /** SHA-256 over files, options and engine version (submission.ts contentHash). */
  contentHash: string;
  options: Record<string, unknown>;
  fileCount: number;
  byteCount: number;
  /** SHA-256 of the Idempotency-Key and of the request body, when the request carried a key. */
  idempotencyKey?: string | null;
  requestHash?: string | null;
  /** true: the caller scans it now (created running, first attempt); false: created queued. */
  runNow: boolean;
}

/**
 * Records a new scan. A second scan with the same project and idempotency key breaks a unique
 * index: the error is thrown (not retried), and the caller replays the first.
 *
 * @example const row = await createScan(env, { projectId, contentHash, options, fileCount: 1, byteCount: 120, runNow: true });
 */
export async function createScan(env: Env, scan: NewScan, now = Date.now()): Promise<ScanRow> {
  const db = database(env.DB);
  const { runNow, ...fields } = scan;
  const row = {
    ...fields,
    id: newId("scn"),
    status: runNow ? "running" : "queued",
    engineVersion: ENGINE_VERSION,
    idempotencyKey: scan.idempotencyKey ?? null,
    requestHash: scan.requestHash ?? null,
    attempts: runNow ? 1 : 0,
    createdAt: now,
    startedAt: runNow ? now : null,
  } satisfies typeof scans.$inferInsert;
  return withRetry("d1", () => db.insert(scans).values(row).returning().get());
}

/** Runs a guarded update returning the ids it changed; whether it applied (false: the scan was not in a state it may leave, or is gone). */
async function applied(update: () => Promise<Array<{ id: string }>>): Promise<boolean> {
  return (await withRetry("d1", update)).length > 0;
}

/** A consumer takes a queued scan: running, one more attempt. False when it finished meanwhile. */
export function startScan(env: Env, scanId: string, now = Date.now()): Promise<boolean> {
  const db = database(env.DB);
  return applied(() =>
    db
      .update(scans)
      .set({ status: TRANSITIONS.start.to, startedAt: now, attempts: sql`${scans.attempts} + 1` })
      .where(leaving(scanId, "start"))
      .returning({ id: scans.id })
      .all(),
  );
}

/** What a completed scan records besides its status (counts, summary, notifications). */
export type Completion = Pick<
  typeof scans.$inferInsert,
  "findingsTotal" | "findingsCritical" | "findingsHigh" | "findingsMedium" | "findingsLow" | "findingsInfo" | "summary" | "notifications"
>;

/**
 * The completing update, as a statement for the caller's D1 batch, so that the status flips in
 * the same transaction as the last findings are written (run-scan.ts storeResult). It returns the
 * scan's id when it applied and nothing when the scan had already finished.
 */
export function completion(db: Db, scanId: string, outcome: Completion, now = Date.now()) {
  return db
    .update(scans)
    .set({ ...outcome, status: TRANSITIONS.complete.to, error: null, finishedAt: now })
    .where(leaving(scanId, "complete"))
    .returning({ id: scans.id });
}

/**
 * Who a failure is down to. "server": retrying may succeed, so the scan's Idempotency-Key is
 * released and a retry with it runs again (Stripe's rule). "input": retrying cannot help, so the
 * key stays; `rejectedWith` is the error code the creating request answered with, when the scan
 * failed inside it, and a replay of the key answers the same.
 */
export type FailedBy = { by: "server" } | { by: "input"; rejectedWith?: ErrorCode };

/**
 * Fails an unfinished scan with a reason (our words, not the submission's; scrubbed and bounded
 * anyway), then emits its webhook event. False when it had already finished: a completed scan is never turned failed.
 */
export async function failScan(env: Env, scanId: string, reason: string, cause: FailedBy, now = Date.now()): Promise<boolean> {
  const db = database(env.DB);
  const released = cause.by === "server" ? { idempotencyKey: null, requestHash: null } : {};
  const rejectedWith = cause.by === "input" ? (cause.rejectedWith ?? null) : null;
  const failed = await applied(() =>
    db
      .update(scans)
      .set({ status: TRANSITIONS.fail.to, error: clipScrubbed(reason, 500), rejectedWith, ...released, finishedAt: now })
      .where(leaving(scanId, "fail"))
      .returning({ id: scans.id })
      .all(),
  );
  if (failed) await emitScanEvent(env, scanId);
  return failed;
}

/** A scan as the sweep saw it: requeueScan() applies only if it is still so. */
export type SeenScan = Pick<ScanRow, "id" | "status" | "attempts">;

/**
 * Hands a stuck scan back to the queue (the caller sends the message). It applies only while the
 * scan is as the sweep read it (same status and attempts), so a consumer that took the scan in
 * between keeps it. `startedAt` becomes now, so the next sweep waits a full period again.
 */
export function requeueScan(env: Env, seen: SeenScan, now = Date.now()): Promise<boolean> {
  const db = database(env.DB);
  return applied(() =>
    db
      .update(scans)
      .set({ status: TRANSITIONS.requeue.to, startedAt: now })
      .where(and(leaving(seen.id, "requeue"), eq(scans.status, seen.status), eq(scans.attempts, seen.attempts)))
      .returning({ id: scans.id })
      .all(),
  );
}
