/**
 * How scans and findings look over HTTP (zod schemas, also the OpenAPI response schemas), and
 * the conversions from D1 rows. Findings are rendered from what D1 holds, which the engine had
 * already masked.
 */
import { z } from "zod";
import { CONFIDENCES, SEVERITIES } from "../engine/types";
import type { FindingDetails, FindingRow, ScanRow } from "../db/scan-queries";
import { SCAN_STATUSES } from "../db/schema";
import { rowToFinding } from "../db/scan-queries";
import { ApiError } from "../errors";

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export { SCAN_STATUSES };

const LocationView = z
  .object({ path: z.string(), startLine: z.number().int(), startColumn: z.number().int(), endLine: z.number().int(), endColumn: z.number().int() })
  .meta({ id: "Location", description: "A span of a submitted file (1-based lines and columns)" });

const RenderingView = z.object({ input: z.string(), rendered: z.string(), structure: z.string() });
const ParserView = z.object({ name: z.string(), version: z.string(), dialect: z.string().optional() });

export const ProofView = z
  .object({
    kind: z.string(),
    payload: z.string(),
    benign: RenderingView,
    attack: RenderingView,
    verdict: z.enum(["proven", "not-proven"]),
    evidence: z.string(),
    parser: ParserView,
  })
  .meta({ id: "Proof", description: "The attack simulated on a parse of the code: a benign and an attack input, and how the statement's structure changed" });

const FixReplacementView = z
  .object({
    startLine: z.number().int(),
    startColumn: z.number().int(),
    endLine: z.number().int(),
    endColumn: z.number().int(),
    text: z.string(),
  })
  .meta({ id: "FixReplacement", description: "Replace the region from start to end (1-based, end exclusive) with `text`; an empty region inserts it" });

export const FixView = z
  .object({
    verdict: z
      .enum(["proven", "plausible", "rejected"])
      .describe(
        "proven: the patched file parses, no attacker data reaches the sink as text (or no payload changes it) and benign input keeps the original structure; plausible: it parses but the attack could not be re-run; rejected: a check failed (the evidence says which) — do not apply it",
      ),
    origin: z.enum(["mechanical", "ai"]).describe("mechanical: made by transforming the parsed source"),
    description: z.string().describe("What the patch does"),
    evidence: z.string().describe("Why the verdict"),
    diff: z.string().describe("The patch as a unified diff (`--- a/path`, `+++ b/path`), card numbers and secrets masked as in snippets"),
    changes: z
      .array(z.object({ path: z.string(), replacements: z.array(FixReplacementView) }))
      .describe("The same patch as edits per file, in the shape of SARIF `fixes[].artifactChanges`"),
    check: z
      .object({ payload: z.string(), before: RenderingView, benign: RenderingView, attack: RenderingView, parser: ParserView })
      .optional()
      .describe("The sink re-rendered: the original and the patched code with benign input, and the patched code with the attack payload bound as a value"),
  })
  .meta({ id: "Fix", description: "A patch for an injection finding, verified by re-running the dataflow and the attack on the patched code" });

export const FindingView = z
  .object({
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
    fix: FixView.optional(),
    fixRef: z.string().optional().describe("URL of a fix too large to inline"),
    fixUnavailable: z.string().optional().describe("Why this injection finding has no fix (the data is a name, the client is not known…)"),
    explanation: z
      .object({ explanation: z.string(), fix: z.string(), model: z.string() })
      .optional()
      .describe("Workers AI explanation and fix, when the scan asked for `explain`"),
  })
  .meta({ id: "Finding" });
export type FindingView = z.infer<typeof FindingView>;

export const ScanSummaryView = z
  .object({
    findings: z.number().int(),
    bySeverity: z.record(z.string(), z.number().int()),
    byPciRequirement: z.record(z.string(), z.number().int()),
    byRule: z.record(z.string(), z.number().int()),
  })
  .meta({ id: "ScanSummary" });

export const ScanView = z
  .object({
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
  })
  .meta({ id: "Scan" });
export type ScanView = z.infer<typeof ScanView>;

const EXAMPLE_SCAN_ID = "scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c";

/** The README's example scan, as the API answers it (OpenAPI examples, checked against the schemas). */
export const PROOF_EXAMPLE: z.infer<typeof ProofView> = {
  kind: "sql",
  payload: "1 OR 1=1",
  benign: { input: "1", rendered: "SELECT * FROM orders WHERE id = 1", structure: "1 statement: SELECT * FROM orders WHERE (id = <value>)" },
  attack: {
    input: "1 OR 1=1",
    rendered: "SELECT * FROM orders WHERE id = 1 OR 1=1",
    structure: "1 statement: SELECT * FROM orders WHERE ((id = <value>) OR (<value> = <value>))",
  },
  verdict: "proven",
  evidence: "The WHERE condition is now always true: ((id = 1) OR (1 = 1)) (payload in req.query.id, as an unquoted SQL value).",
  parser: { name: "node-sql-parser", version: "5.4.0", dialect: "mysql" },
};

/** A proven fix of a mysql2 query, as the engine verified it (GET …/findings/{findingId}/fix). */
export const FIX_EXAMPLE: z.infer<typeof FixView> = {
  verdict: "proven",
  origin: "mechanical",
  description: "Sends the SQL text as a constant with `?` placeholders and the value as bound parameters (mysql).",
  evidence:
    "Re-running the dataflow on the patched code, no attacker data reaches the sink as text any more. With benign input the patched query has the original's structure (1 statement: SELECT * FROM cards WHERE (owner = <value>)), and the payload \"' OR '1'='1\", bound as a value, leaves it unchanged.",
  diff: [
    "--- a/src/cards.js",
    "+++ b/src/cards.js",
    "@@ -1,2 +1,2 @@",
    ' const pool = require("mysql2").createPool({});',
    `-app.get("/cards", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));`,
    '+app.get("/cards", (req, res) => pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.name]));',
    "",
  ].join("\n"),
  changes: [
    {
      path: "src/cards.js",
      replacements: [
        { startLine: 2, startColumn: 44, endLine: 2, endColumn: 104, text: '"SELECT * FROM cards WHERE owner = ?"' },
        { startLine: 2, startColumn: 104, endLine: 2, endColumn: 104, text: ", [req.query.name]" },
      ],
    },
  ],
  check: {
    payload: "' OR '1'='1",
    before: { input: "alice", rendered: "SELECT * FROM cards WHERE owner = 'alice'", structure: "1 statement: SELECT * FROM cards WHERE (owner = <value>)" },
    benign: { input: "alice", rendered: "SELECT * FROM cards WHERE owner = 'alice'", structure: "1 statement: SELECT * FROM cards WHERE (owner = <value>)" },
    attack: {
      input: "' OR '1'='1",
      rendered: "SELECT * FROM cards WHERE owner = '\\' OR \\'1\\'=\\'1'",
      structure: "1 statement: SELECT * FROM cards WHERE (owner = <value>)",
    },
    parser: { name: "node-sql-parser", version: "5.4.0", dialect: "mysql" },
  },
};

export const FINDING_EXAMPLE: FindingView = {
  id: "ad22c18455be4f96cf3c",
  ruleId: "sql-injection",
  severity: "critical",
  confidence: "high",
  title: "SQL injection: untrusted data in SQL text",
  message: "req.query.id (query string) flows into db.query() as SQL text.",
  cwe: ["CWE-89"],
  owasp: ["A03:2021"],
  pci: ["6.2.4"],
  category: "injection",
  tags: ["dataflow", "proven"],
  location: { path: "src/orders.js", startLine: 1, startColumn: 34, endLine: 1, endColumn: 93 },
  snippet: 'app.get("/orders", (req, res) => db.query("SELECT * FROM orders WHERE id = " + req.query.id));',
  flow: [
    {
      location: { path: "src/orders.js", startLine: 1, startColumn: 80, endLine: 1, endColumn: 92 },
      message: "req.query.id: query string (attacker-controlled)",
    },
    { location: { path: "src/orders.js", startLine: 1, startColumn: 34, endLine: 1, endColumn: 93 }, message: "db.query() receives it as SQL text" },
  ],
  fingerprint: "ad22c18455be4f96cf3cf5264159f740",
  remediation:
    "Pass values as bound parameters: `pool.query('SELECT … WHERE id = ?', [id])`. Never build SQL text with `+` or template literals from request data.",
  proof: PROOF_EXAMPLE,
  fixUnavailable: "no mechanical fix for `db.query()`: the client, and so its placeholder style, is not known",
};

export const SCAN_EXAMPLE: ScanView = {
  id: EXAMPLE_SCAN_ID,
  status: "completed",
  engineVersion: "0.1.0",
  createdAt: "2026-12-03T09:30:00.000Z",
  startedAt: "2026-12-03T09:30:00.000Z",
  finishedAt: "2026-12-03T09:30:00.120Z",
  files: 1,
  bytes: 95,
  options: {},
  error: null,
  summary: { findings: 1, bySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 }, byPciRequirement: { "6.2.4": 1 }, byRule: { "sql-injection": 1 } },
  notifications: [],
  findings: [FINDING_EXAMPLE],
  findingsTruncated: false,
  links: scanLinks(EXAMPLE_SCAN_ID),
};

/** The same scan while it waits in the queue (202). */
export const QUEUED_SCAN_EXAMPLE: ScanView = {
  ...SCAN_EXAMPLE,
  status: "queued",
  startedAt: null,
  finishedAt: null,
  summary: null,
  findings: undefined,
  findingsTruncated: undefined,
  options: { async: true },
};

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
    ...((row.details as FindingDetails).fixKey ? { fixRef: `/v1/scans/${scanId}/findings/${row.id}/fix` } : {}),
    ...(row.explanation ? { explanation: row.explanation } : {}),
  };
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
  if (!parsed.success)
    throw new ApiError("validation_failed", "Invalid cursor.", { errors: [{ pointer: "/cursor", message: "not a cursor this API issued" }] });
  return parsed.data;
}
