/**
 * runScan(): the one scan path, used by the synchronous route and by the queue consumer, so both
 * give identical results for the same input. Engine → result bounded and masked for storage
 * (bounded-result.ts) → findings into D1 in chunked batches → proofs and fixes over the inline
 * threshold into R2 → counts and summary, and the scan completed (lifecycle.ts) in the same batch as the
 * last findings. Idempotent: it first deletes any findings a half-finished earlier attempt wrote.
 * A result that comes after its scan finished (a consumer that outlived the sweep) changes
 * nothing: the completion is refused, and findings it wrote to a failed scan are removed. A
 * completion that applies emits the scan's webhook event (webhooks/emit.ts), as failScan() does.
 * Given a Fixer (queued scans that asked for `explain`), the model proposes patches for injection
 * findings without a proven fix before the result is stored, while the submission is at hand to
 * verify them against (ai/propose-fixes.ts).
 */
import { and, eq, inArray } from "drizzle-orm";
import { proposeAiFixes } from "../ai/propose-fixes";
import type { Fixer } from "../ai/fixer";
import { scan } from "../engine/index";
import { summarize } from "../engine/report/summary";
import type { ScanResult } from "../engine/types";
import { database } from "../db/client";
import { FINDING_ROWS_PER_INSERT, findingRow, runBatched } from "../db/scan-queries";
import { findings, scans } from "../db/schema";
import type { Env } from "../env";
import { settings } from "../settings";
import { inputErrorCode, withRetry } from "../limits/retry";
import { log } from "../observability/log";
import { fixKey, proofKey, putFindingObject } from "../storage/objects";
import { emitScanEvent } from "../webhooks/emit";
import { boundResult } from "./bounded-result";
import { completion, isFinished, UNFINISHED } from "./lifecycle";
import { submissionLimits, type ScanRequest } from "./submission";

export interface RunScanInput {
  scanId: string;
  projectId: string;
  request: ScanRequest;
}

/**
 * Runs the engine on a submission and stores the outcome (bounded); returns the engine's result.
 * `fixer`: the AI model that proposes patches for this scan's unfixed injections (none on the request path).
 */
export async function runScan(env: Env, input: RunScanInput, deps: { fixer?: Fixer | null } = {}): Promise<ScanResult> {
  const limits = submissionLimits(env);
  const { dialect, rules, minSeverity } = input.request.options;
  const files = { files: input.request.files };
  const options = { dialect, rules, minSeverity, limits: { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes, maxScanBytes: limits.maxScanBytes } };
  let result: ScanResult;
  try {
    result = await scan(files, options);
  } catch (error) {
    throw new EngineFailure(error);
  }
  if (deps.fixer && input.request.options.explain) {
    const outcome = await proposeAiFixes(env, { scanId: input.scanId, projectId: input.projectId, input: files, options, result }, deps.fixer);
    log("info", "AI fixes", { scanId: input.scanId, ...outcome });
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

/**
 * Stores an engine result as the scan's outcome, bounded and masked first whatever its size.
 * Returns whether it completed the scan (false: the scan had already finished, and is unchanged).
 */
export async function storeResult(env: Env, scanId: string, engineResult: ScanResult): Promise<boolean> {
  const result = boundResult(engineResult);
  const db = database(env.DB);
  // A result that comes after its scan finished writes nothing; for a scan that finishes while
  // this result is being written, the delete, the inserts and the completion below are guarded.
  const current = await withRetry("d1", () => db.select({ status: scans.status }).from(scans).where(eq(scans.id, scanId)).get());
  if (!current || isFinished(current.status)) {
    log("warn", "result of a finished scan discarded", { scanId });
    return false;
  }
  const inlineMax = settings(env).PROOF_INLINE_MAX_BYTES;
  const rows = [];
  const uploads: Array<Promise<void>> = [];
  /** The R2 key `object` went to when its JSON is over the inline threshold, else null (it stays in D1). */
  const offload = (object: unknown, key: string): string | null => {
    const body = object ? JSON.stringify(object) : "";
    if (body.length <= inlineMax) return null;
    uploads.push(putFindingObject(env.PROOFS, key, body));
    return key;
  };
  for (const f of result.findings) {
    rows.push(findingRow(scanId, f, { proofKey: offload(f.proof, proofKey(scanId, f.id)), fixKey: offload(f.fix, fixKey(scanId, f.id)) }));
  }
  await Promise.all(uploads);
  const summary = summarize(result);
  type Statement = Parameters<typeof db.batch>[0][number];
  const unfinished = db
    .select({ id: scans.id })
    .from(scans)
    .where(and(eq(scans.id, scanId), inArray(scans.status, [...UNFINISHED])));
  // A finished scan's findings stay: they are deleted only while it is unfinished, and rows already
  // there are kept (the same submission gives the same findings).
  const statements: Statement[] = [db.delete(findings).where(and(eq(findings.scanId, scanId), inArray(findings.scanId, unfinished)))];
  for (let i = 0; i < rows.length; i += FINDING_ROWS_PER_INSERT) {
    statements.push(
      db
        .insert(findings)
        .values(rows.slice(i, i + FINDING_ROWS_PER_INSERT))
        .onConflictDoNothing(),
    );
  }
  const s = summary.bySeverity;
  statements.push(
    completion(db, scanId, {
      findingsTotal: summary.findings,
      findingsCritical: s.critical,
      findingsHigh: s.high,
      findingsMedium: s.medium,
      findingsLow: s.low,
      findingsInfo: s.info,
      summary: { bySeverity: s, byPciRequirement: summary.byPciRequirement, byRule: summary.byRule },
      notifications: result.notifications,
    }),
  );
  const completed = ((await runBatched(db, statements)).at(-1) as unknown[]).length > 0;
  if (!completed) {
    // It finished meanwhile: a failed scan keeps no findings.
    const failed = db
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.id, scanId), eq(scans.status, "failed")));
    await withRetry("d1", () => db.delete(findings).where(and(eq(findings.scanId, scanId), inArray(findings.scanId, failed))));
    log("warn", "result of a finished scan discarded", { scanId });
  } else {
    await emitScanEvent(env, scanId);
  }
  return completed;
}
