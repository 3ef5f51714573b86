/**
 * How scans and findings look over HTTP (zod schemas, also the OpenAPI response schemas), and
 * the conversions from D1 rows. Findings are rendered from what D1 holds, which the engine had
 * already masked.
 */
import { z } from "zod";
import { CONFIDENCES, SEVERITIES } from "../engine/types";
import type { FindingRow, ScanRow } from "../db/scan-queries";
import { SCAN_STATUSES } from "../db/schema";
import { rowToFinding } from "../db/scan-queries";
import { ApiError } from "../errors";

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export { SCAN_STATUSES };

const LocationView = z.object({ path: z.string(), startLine: z.number().int(), startColumn: z.number().int(), endLine: z.number().int(), endColumn: z.number().int() });

export const ProofView = z.object({
  kind: z.string(),
  payload: z.string(),
  benign: z.object({ input: z.string(), rendered: z.string(), structure: z.string() }),
  attack: z.object({ input: z.string(), rendered: z.string(), structure: z.string() }),
  verdict: z.enum(["proven", "not-proven"]),
  evidence: z.string(),
  parser: z.object({ name: z.string(), version: z.string(), dialect: z.string().optional() }),
});

export const FindingView = z.object({
  id: z.string(),
  ruleId: z.string(),
  severity: z.enum(SEVERITIES),
  confidence: z.enum(CONFIDENCES),
  title: z.string(),
  message: z.string(),
  cwe: z.array(z.string()),
  owasp: z.array(z.string()),
  pci: z.array(z.string()),
  category: z.string(),
  tags: z.array(z.string()),
  location: LocationView,
  snippet: z.string().describe("Source lines with card numbers and secrets masked"),
  flow: z.array(z.object({ location: LocationView, message: z.string() })),
  fingerprint: z.string(),
  remediation: z.string(),
  proof: ProofView.optional(),
  proofRef: z.string().optional().describe("URL of a proof too large to inline"),
  explanation: z
    .object({ explanation: z.string(), fix: z.string(), model: z.string() })
    .optional()
    .describe("Workers AI explanation and fix, when the scan asked for `explain`"),
});
export type FindingView = z.infer<typeof FindingView>;

export const ScanSummaryView = z.object({
  findings: z.number().int(),
  bySeverity: z.record(z.string(), z.number().int()),
  byPciRequirement: z.record(z.string(), z.number().int()),
  byRule: z.record(z.string(), z.number().int()),
});

export const ScanView = z.object({
  id: z.string(),
  status: z.enum(SCAN_STATUSES),
  engineVersion: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  files: z.number().int(),
  bytes: z.number().int(),
  options: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  summary: ScanSummaryView.nullable(),
  notifications: z.array(z.record(z.string(), z.unknown())),
  findings: z.array(FindingView).optional(),
  findingsTruncated: z.boolean().optional(),
  links: z.object({ self: z.string(), findings: z.string(), sarif: z.string() }),
});
export type ScanView = z.infer<typeof ScanView>;

function scanLinks(id: string) {
  return { self: `/v1/scans/${id}`, findings: `/v1/scans/${id}/findings`, sarif: `/v1/scans/${id}/sarif` };
}

export function toScanView(row: ScanRow, findingRows?: FindingRow[], truncated?: boolean): ScanView {
  const summary = row.summary as { bySeverity: Record<string, number>; byPciRequirement: Record<string, number>; byRule: Record<string, number> } | null;
  return {
    id: row.id,
    status: row.status,
    engineVersion: row.engineVersion,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    files: row.fileCount,
    bytes: row.byteCount,
    options: row.options,
    error: row.error,
    summary: summary ? { findings: row.findingsTotal, ...summary } : null,
    notifications: row.notifications as Array<Record<string, unknown>>,
    ...(findingRows ? { findings: findingRows.map((f) => toFindingView(row.id, f)) } : {}),
    ...(truncated !== undefined ? { findingsTruncated: truncated } : {}),
    links: scanLinks(row.id),
  };
}

export function toFindingView(scanId: string, row: FindingRow): FindingView {
  const f = rowToFinding(row);
  return {
    ...f,
    ...(row.proofKey ? { proofRef: `/v1/scans/${scanId}/findings/${row.id}/proof` } : {}),
    ...(row.explanation ? { explanation: row.explanation } : {}),
  } as FindingView;
}

/** Opaque pagination cursors (base64url JSON). Malformed cursors are a 400, not a 500. */
export function encodeCursor(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The value a cursor holds; a cursor this API did not issue is a 400 pointing at `cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError("validation_failed", "Invalid cursor.", { errors: [{ pointer: "/cursor", message: "not a cursor this API issued" }] });
  return parsed.data;
}
