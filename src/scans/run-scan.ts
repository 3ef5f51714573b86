/**
 * runScan(): the one scan path, used by the synchronous route and by the queue consumer, so both
 * give identical results for the same input. Engine → result bounded and masked for storage
 * (bounded-result.ts) → findings into D1 in chunked batches → proofs over the inline threshold
 * into R2 → scan status, counts and summary. Idempotent: it first deletes any findings a
 * half-finished earlier attempt wrote, and the status flips to completed in the same batch as
 * the last findings. failScan() is the one way a scan ends failed, and says whose fault it was.
 * Both end by emitting the scan's webhook event (webhooks/emit.ts).
 */
import { eq } from "drizzle-orm";
import { scan } from "../engine/index";
import { summarize } from "../engine/report/summary";
import type { ScanResult } from "../engine/types";
import { database } from "../db/client";
import type { ErrorCode } from "../errors";
import { FINDING_ROWS_PER_INSERT, findingRow, runBatched } from "../db/scan-queries";
import { findings, scans } from "../db/schema";
import type { Env } from "../env";
import { settings } from "../settings";
import { inputErrorCode, withRetry } from "../limits/retry";
import { clipScrubbed } from "../observability/scrub";
import { proofKey, putProof } from "../storage/objects";
import { emitScanEvent } from "../webhooks/emit";
import { boundResult } from "./bounded-result";
import { submissionLimits, type ScanRequest } from "./submission";

export interface RunScanInput {
  scanId: string;
  projectId: string;
  request: ScanRequest;
}

/** Runs the engine on a submission and stores the outcome (bounded); returns the engine's result. */
export async function runScan(env: Env, input: RunScanInput): Promise<ScanResult> {
  const limits = submissionLimits(env);
  const { dialect, rules, minSeverity } = input.request.options;
  let result: ScanResult;
  try {
    result = await scan(
      { files: input.request.files },
      { dialect, rules, minSeverity, limits: { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes, maxScanBytes: limits.maxScanBytes } },
    );
  } catch (error) {
    throw new EngineFailure(error);
  }
  await storeResult(env, input.scanId, result);
  return result;
}

/** The engine threw: it is pure, so the same submission would throw again. */
export class EngineFailure extends Error {
  constructor(cause: unknown) {
    super(`The engine failed on this submission (${(cause as Error)?.name ?? "Error"}).`, { cause });
    this.name = "EngineFailure";
  }
}

/**
 * Why retrying cannot finish a scan that threw `error` (the engine failed on it, or D1 refused
 * its results as too large), or null when the failure may be transient and a retry may succeed.
 */
export function unretryableReason(error: unknown): string | null {
  if (error instanceof EngineFailure) return `${error.message} Retrying cannot fix this.`;
  const code = inputErrorCode(error);
  return code ? `The scan's results are more than the database accepts (${code}). Retrying cannot fix this.` : null;
}

/** Stores an engine result as the scan's outcome, bounded and masked first whatever its size. */
export async function storeResult(env: Env, scanId: string, engineResult: ScanResult): Promise<void> {
  const result = boundResult(engineResult);
  const db = database(env.DB);
  const inlineMax = settings(env).PROOF_INLINE_MAX_BYTES;
  const rows = [];
  const uploads: Array<Promise<void>> = [];
  for (const f of result.findings) {
    let key: string | null = null;
    const proof = f.proof ? JSON.stringify(f.proof) : "";
    if (proof.length > inlineMax) {
      key = proofKey(scanId, f.id);
      uploads.push(putProof(env.PROOFS, key, proof));
    }
    rows.push(findingRow(scanId, f, key));
  }
  await Promise.all(uploads);
  const summary = summarize(result);
  type Statement = Parameters<typeof db.batch>[0][number];
  const statements: Statement[] = [db.delete(findings).where(eq(findings.scanId, scanId))];
  for (let i = 0; i < rows.length; i += FINDING_ROWS_PER_INSERT) {
    statements.push(db.insert(findings).values(rows.slice(i, i + FINDING_ROWS_PER_INSERT)));
  }
  const s = summary.bySeverity;
  statements.push(
    db
      .update(scans)
      .set({
        status: "completed",
        findingsTotal: summary.findings,
        findingsCritical: s.critical,
        findingsHigh: s.high,
        findingsMedium: s.medium,
        findingsLow: s.low,
        findingsInfo: s.info,
        summary: { bySeverity: s, byPciRequirement: summary.byPciRequirement, byRule: summary.byRule },
        notifications: result.notifications,
        error: null,
        finishedAt: Date.now(),
      })
      .where(eq(scans.id, scanId)),
  );
  await runBatched(db, statements);
  await emitScanEvent(env, scanId);
}

/**
 * Who a failure is down to. "server": retrying may succeed, so the scan's Idempotency-Key is
 * released and a retry with it runs again (Stripe's rule). "input": retrying cannot help, so the
 * key stays; `rejectedWith` is the error code the creating request answered with, when the scan
 * failed inside it, and a replay of the key answers the same.
 */
export type FailedBy = { by: "server" } | { by: "input"; rejectedWith?: ErrorCode };

/** Marks a scan failed with a reason (our words, not the submission's; scrubbed and bounded anyway). */
export async function failScan(env: Env, scanId: string, reason: string, cause: FailedBy): Promise<void> {
  const db = database(env.DB);
  const released = cause.by === "server" ? { idempotencyKey: null, requestHash: null } : {};
  const rejectedWith = cause.by === "input" ? (cause.rejectedWith ?? null) : null;
  await withRetry("d1", () =>
    db
      .update(scans)
      .set({ status: "failed", error: clipScrubbed(reason, 500), rejectedWith, ...released, finishedAt: Date.now() })
      .where(eq(scans.id, scanId)),
  );
  await emitScanEvent(env, scanId);
}
