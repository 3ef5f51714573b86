/**
 * Reads and writes of scans and findings, always scoped to a project: another project's scan id
 * behaves exactly like a missing one. Writes respect D1's 100 bound parameters per statement.
 */
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Finding, Proof, Severity } from "../engine/types";
import { SEVERITIES } from "../engine/types";
import { withRetry } from "../limits/retry";
import type { Db } from "./client";
import { findings, scans, type ScanStatus } from "./schema";

export type ScanRow = typeof scans.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;

/** Rows per multi-row findings INSERT: 19 columns × 5 = 95 bound parameters (D1 allows 100). */
export const FINDING_ROWS_PER_INSERT = 5;
/** Statements per D1 batch (each batch is one transaction and must finish within 30 s). */
const STATEMENTS_PER_BATCH = 50;

type BatchItem = Parameters<Db["batch"]>[0][number];

/** Runs statements as D1 batches of STATEMENTS_PER_BATCH, each retried with backoff; returns each statement's result, in order. */
export async function runBatched(db: Db, statements: readonly BatchItem[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    const chunk = statements.slice(i, i + STATEMENTS_PER_BATCH) as [BatchItem, ...BatchItem[]];
    results.push(...(await withRetry("d1", () => db.batch(chunk))));
  }
  return results;
}

export async function getScan(db: Db, projectId: string, id: string): Promise<ScanRow | undefined> {
  return db
    .select()
    .from(scans)
    .where(and(eq(scans.projectId, projectId), eq(scans.id, id)))
    .get();
}

/** Each severity's count column: a scan "has" a severity when its count is above zero. */
const SEVERITY_COUNTS = {
  critical: scans.findingsCritical,
  high: scans.findingsHigh,
  medium: scans.findingsMedium,
  low: scans.findingsLow,
  info: scans.findingsInfo,
} as const satisfies Record<Severity, unknown>;

/** The project's scans, newest first; `severity` keeps the scans with at least one finding of it. */
export async function listScans(
  db: Db,
  projectId: string,
  opts: { limit: number; status?: ScanStatus; severity?: Severity; before?: { createdAt: number; id: string } },
): Promise<ScanRow[]> {
  const conditions = [eq(scans.projectId, projectId)];
  if (opts.status) conditions.push(eq(scans.status, opts.status));
  if (opts.severity) conditions.push(gt(SEVERITY_COUNTS[opts.severity], 0));
  if (opts.before) conditions.push(sql`(${scans.createdAt}, ${scans.id}) < (${opts.before.createdAt}, ${opts.before.id})`);
  return db
    .select()
    .from(scans)
    .where(and(...conditions))
    .orderBy(desc(scans.createdAt), desc(scans.id))
    .limit(opts.limit)
    .all();
}

export async function listFindings(
  db: Db,
  scanId: string,
  opts: { limit: number; severity?: Severity; ruleId?: string; after?: { rank: number; path: string; line: number; id: string } },
): Promise<FindingRow[]> {
  const conditions = [eq(findings.scanId, scanId)];
  if (opts.severity) conditions.push(eq(findings.severityRank, SEVERITIES.indexOf(opts.severity)));
  if (opts.ruleId) conditions.push(eq(findings.ruleId, opts.ruleId));
  if (opts.after) {
    const a = opts.after;
    conditions.push(sql`(${findings.severityRank}, ${findings.path}, ${findings.startLine}, ${findings.id}) > (${a.rank}, ${a.path}, ${a.line}, ${a.id})`);
  }
  return db
    .select()
    .from(findings)
    .where(and(...conditions))
    .orderBy(findings.severityRank, findings.path, findings.startLine, findings.id)
    .limit(opts.limit)
    .all();
}

export async function getFinding(db: Db, scanId: string, id: string): Promise<FindingRow | undefined> {
  return db
    .select()
    .from(findings)
    .where(and(eq(findings.scanId, scanId), eq(findings.id, id)))
    .get();
}

/**
 * What a finding row's `details` JSON holds besides its columns: the rule's metadata, the flow,
 * and the finding's fix — inline, or the R2 key of one too large to keep inline — or the reason it
 * has none.
 */
export type FindingDetails = Pick<Finding, "cwe" | "owasp" | "pci" | "category" | "tags" | "flow" | "remediation" | "fix" | "fixUnavailable"> & {
  fixKey?: string;
};

/** Where a finding's proof and fix went when too large to keep in D1 (R2 keys), null when inline or absent. */
export interface FindingObjectKeys {
  proofKey: string | null;
  fixKey: string | null;
}

/** A D1 row for a finding; the proof and the fix stay inline unless `keys` says they went to R2. */
export function findingRow(scanId: string, f: Finding, keys: FindingObjectKeys): typeof findings.$inferInsert {
  const details: FindingDetails = {
    cwe: f.cwe,
    owasp: f.owasp,
    pci: f.pci,
    category: f.category,
    tags: f.tags,
    flow: f.flow,
    remediation: f.remediation,
    ...(keys.fixKey ? { fixKey: keys.fixKey } : f.fix ? { fix: f.fix } : {}),
    ...(f.fixUnavailable ? { fixUnavailable: f.fixUnavailable } : {}),
  };
  return {
    scanId,
    id: f.id,
    ruleId: f.ruleId,
    severity: f.severity,
    severityRank: SEVERITIES.indexOf(f.severity),
    confidence: f.confidence,
    title: f.title,
    message: f.message,
    path: f.location.path,
    startLine: f.location.startLine,
    startColumn: f.location.startColumn,
    endLine: f.location.endLine,
    endColumn: f.location.endColumn,
    fingerprint: f.fingerprint,
    snippet: f.snippet,
    details,
    proof: keys.proofKey ? null : ((f.proof as unknown as Record<string, unknown>) ?? null),
    proofKey: keys.proofKey,
  };
}

/** The Finding a row stores (the API and SARIF render from this); a proof or fix kept in R2 is not read here. */
export function rowToFinding(row: FindingRow): Finding {
  const d = row.details as FindingDetails;
  return {
    id: row.id,
    ruleId: row.ruleId,
    severity: row.severity as Severity,
    confidence: row.confidence as Finding["confidence"],
    title: row.title,
    message: row.message,
    cwe: d.cwe,
    owasp: d.owasp,
    pci: d.pci,
    category: d.category,
    tags: d.tags,
    location: { path: row.path, startLine: row.startLine, startColumn: row.startColumn, endLine: row.endLine, endColumn: row.endColumn },
    snippet: row.snippet,
    flow: d.flow,
    fingerprint: row.fingerprint,
    remediation: d.remediation,
    ...(row.proof ? { proof: row.proof as unknown as Proof } : {}),
    ...(row.proofKey ? { proofRef: row.proofKey } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.fixUnavailable ? { fixUnavailable: d.fixUnavailable } : {}),
  };
}

export function deleteScanRows(db: Db, projectId: string, scanId: string) {
  return db.batch([db.delete(findings).where(eq(findings.scanId, scanId)), db.delete(scans).where(and(eq(scans.projectId, projectId), eq(scans.id, scanId)))]);
}

/** The newest completed scan of identical content created after `since` (only among `createdByKey`'s scans when given), if any. */
export async function findDuplicate(db: Db, projectId: string, hash: string, since: number, createdByKey?: string): Promise<ScanRow | undefined> {
  return db
    .select()
    .from(scans)
    .where(
      and(
        eq(scans.projectId, projectId),
        eq(scans.contentHash, hash),
        eq(scans.status, "completed"),
        sql`${scans.createdAt} >= ${since}`,
        createdByKey === undefined ? undefined : eq(scans.createdByKey, createdByKey),
      ),
    )
    .orderBy(desc(scans.createdAt))
    .limit(1)
    .get();
}

export async function findByIdempotencyKey(db: Db, projectId: string, key: string): Promise<ScanRow | undefined> {
  return db
    .select()
    .from(scans)
    .where(and(eq(scans.projectId, projectId), eq(scans.idempotencyKey, key)))
    .get();
}
