/**
 * runScan(): the one scan path, used by the synchronous route and by the queue consumer, so both
 * give identical results for the same input. Engine → findings (masked by the engine) into D1 in
 * chunked batches → proofs over the inline threshold into R2 → scan status, counts and summary.
 * Idempotent: it first deletes any findings a half-finished earlier attempt wrote, and the
 * status flips to completed in the same batch as the last findings.
 */
import { eq } from "drizzle-orm";
import { scan } from "../engine/index";
import { summarize } from "../engine/report/summary";
import type { ScanResult } from "../engine/types";
import { database } from "../db/client";
import { FINDING_ROWS_PER_INSERT, findingRow, runBatched } from "../db/scan-queries";
import { findings, scans } from "../db/schema";
import { intVar, type Env } from "../env";
import { withRetry } from "../limits/retry";
import { proofKey, putProof } from "../storage/objects";
import { submissionLimits, type ScanRequest } from "./submission";

const DEFAULT_PROOF_INLINE_MAX = 8_192;

export interface RunScanInput {
  scanId: string;
  projectId: string;
  request: ScanRequest;
}

/** Runs the engine on a submission and stores the outcome; returns the engine's result. */
export async function runScan(env: Env, input: RunScanInput): Promise<ScanResult> {
  const limits = submissionLimits(env);
  const { dialect, rules, minSeverity } = input.request.options;
  const result = await scan(
    { files: input.request.files },
    { dialect, rules, minSeverity, limits: { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes, maxScanBytes: limits.maxScanBytes } },
  );
  await storeResult(env, input.scanId, result);
  return result;
}

async function storeResult(env: Env, scanId: string, result: ScanResult): Promise<void> {
  const db = database(env.DB);
  const inlineMax = intVar(env.PROOF_INLINE_MAX_BYTES, DEFAULT_PROOF_INLINE_MAX);
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
}

/** Marks a scan failed with a reason (masked text only: reasons never quote submissions). */
export async function failScan(env: Env, scanId: string, reason: string): Promise<void> {
  const db = database(env.DB);
  await withRetry("d1", () => db.update(scans).set({ status: "failed", error: reason.slice(0, 500), finishedAt: Date.now() }).where(eq(scans.id, scanId)));
}
