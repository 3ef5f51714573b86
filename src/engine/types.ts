/**
 * The engine's public data model: what goes into a scan and what comes out.
 * Shared by rules, reporters, the Worker and the CLI, so it changes only with care:
 * the HTTP API and SARIF output are derived from these shapes.
 */

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export type Language = "javascript" | "typescript" | "sql" | "text";

export const SQL_DIALECTS = ["mysql", "postgresql", "sqlite", "mariadb", "transactsql", "bigquery"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** Positions are 1-based lines and 1-based columns; endColumn is exclusive (SARIF convention). */
export interface Location {
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** One step of a source → sink path (Engine II fills these for taint findings). */
export interface FlowStep {
  location: Location;
  message: string;
}

/** The languages the attack simulator (src/engine/simulator) proves injections in. */
export type SimulatedKind = "sql" | "shell" | "js" | "html" | "path" | "url" | "nosql" | "xpath" | "ldap";

export interface ProofRendering {
  input: string;
  rendered: string;
  structure: string;
}

/**
 * An attack simulation's record (DESIGN.md "An attack proof"). A `regex` proof comes from the
 * ReDoS analysis (src/engine/redos): the renderings are an attack string at two pump counts and
 * the backtracking steps each cost.
 */
export interface Proof {
  kind: SimulatedKind | "regex";
  payload: string;
  benign: ProofRendering;
  attack: ProofRendering;
  verdict: "proven" | "not-proven";
  evidence: string;
  parser: { name: string; version: string; dialect?: string };
}

/** One text edit of a fix: the region [start, end) of a file (1-based, end exclusive) is replaced by `text` (an empty region inserts). */
export interface FixReplacement {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  text: string;
}

/**
 * The attack re-run on the patched code (src/engine/fixes): the sink rendered as the patched code
 * builds it, with the benign input and with the attack payload bound as values. A proven fix
 * gives both the benign structure of the original code.
 */
export interface FixCheck {
  payload: string;
  /** The original code's sink with the benign input. */
  before: ProofRendering;
  /** The patched code's sink with the benign input. */
  benign: ProofRendering;
  /** The patched code's sink with the attack payload. */
  attack: ProofRendering;
  parser: Proof["parser"];
}

/**
 * A patch for an injection finding and what re-attacking the patched code showed
 * (README "Proven fixes"). `proven`: the patched file parses, the dataflow no longer carries
 * attacker data into the sink's text (or no payload changes its structure), and the benign
 * input gives the original structure. `plausible`: the patched file parses but the proof could
 * not be re-run. `rejected`: the patch failed one of those checks; it is kept to say which.
 */
export interface Fix {
  verdict: "proven" | "plausible" | "rejected";
  /** Who wrote the patch: a transformation of the parsed source, or the AI model. */
  origin: "mechanical" | "ai";
  /** What the patch does, in one sentence. */
  description: string;
  /** Why the verdict, in words. */
  evidence: string;
  /** The patch as a unified diff (`--- a/path`, `+++ b/path`). */
  diff: string;
  /** The same patch as edits per file (SARIF `fixes[].artifactChanges`). */
  changes: Array<{ path: string; replacements: FixReplacement[] }>;
  check?: FixCheck;
}

export interface Finding {
  id: string;
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  title: string;
  message: string;
  /** e.g. ["CWE-540"] */
  cwe: string[];
  /** OWASP Top 10 2021 ids, e.g. ["A01:2021"] */
  owasp: string[];
  /** PCI DSS v4.0.1 requirement numbers, e.g. ["3.5.1"] */
  pci: string[];
  category: RuleCategory;
  tags: string[];
  location: Location;
  /** The source line(s) of the finding with card numbers and secrets masked. */
  snippet: string;
  flow: FlowStep[];
  /** Stable across runs and across unrelated edits above the finding. */
  fingerprint: string;
  remediation: string;
  proof?: Proof;
  proofRef?: string;
  /** A patch for an injection finding, with its verification (ScanOptions.fixes). */
  fix?: Fix;
  /** Why an injection finding has no mechanical fix (the data is a name, the client is not known…). */
  fixUnavailable?: string;
  /** Set on a finding an inline `pci-auditor-ignore-…` directive accepted (ScanResult.suppressed). */
  suppression?: Suppression;
}

/** An inline directive's acceptance of a finding (SARIF `suppressions`, kind inSource). */
export interface Suppression {
  kind: "inSource";
  /** The reason the directive gives after `--`; empty when it gives none. */
  justification: string;
}

export type RuleCategory = "card-data" | "secrets" | "sql-audit" | "injection" | "crypto" | "transport" | "logging";

export type NotificationCode =
  | "file-too-large"
  | "scan-too-large"
  | "too-many-files"
  | "binary-file"
  | "invalid-encoding"
  | "parse-error"
  | "sql-parse-error"
  | "sql-too-long"
  | "line-too-long"
  | "ast-too-large"
  | "ast-too-deep"
  | "detector-budget"
  | "finding-cap"
  | "proof-budget"
  | "fix-budget"
  | "rule-error"
  | "unknown-rule"
  | "project-too-large"
  | "invalid-suppression"
  | "baseline";

/** Something the user should know about the scan that is not a finding (skips, caps, errors). */
export interface Notification {
  level: "error" | "warning" | "note";
  code: NotificationCode;
  message: string;
  path?: string;
  ruleId?: string;
  line?: number;
  column?: number;
}

export interface ScanInputFile {
  path: string;
  /** Text, or raw bytes that must decode as UTF-8. */
  content: string | Uint8Array;
}

export interface ScanInput {
  files: ScanInputFile[];
}

export interface ScanLimits {
  /** Bytes (UTF-8) per file; a larger file is skipped with a notification. */
  maxFileBytes: number;
  /** Bytes per scan; files past the budget are skipped with a notification. */
  maxScanBytes: number;
  maxFiles: number;
  /** Lines longer than this are not searched by the text detectors. */
  maxLineLength: number;
  /** Characters per SQL statement handed to the SQL parser. */
  maxSqlLength: number;
  /** SQL statements (from .sql files and strings in code) the SQL rules check per file; the rest are skipped with a notification. */
  maxFileSqlStatements: number;
  /** The same, over the whole scan. */
  maxScanSqlStatements: number;
  /** Work units (see sqlParseWork) the SQL parser may spend per file; later statements are checked from their tokens. */
  maxFileSqlParseWork: number;
  /** The same, over the whole scan. */
  maxScanSqlParseWork: number;
  /** Work units the attack simulator may spend on parsing renderings over the whole scan; later sinks get no proof. */
  maxScanSimulationWork: number;
  maxAstNodes: number;
  maxAstDepth: number;
  /** Candidate matches one detector may examine per file. */
  maxDetectorCandidates: number;
  /** Findings one rule may report per file. */
  maxFindingsPerRule: number;
  /** Findings of each severity all rules together may report over the whole scan; later ones are counted in a notification. */
  maxScanFindingsPerSeverity: number;
  /** Steps the dataflow interpreter may take over the whole scan (each statement or expression it reads is one). */
  maxScanDataflowSteps: number;
  /** Characters of JS/TS that import each other analysed as one dataflow project (their syntax trees are in memory together). */
  maxProjectBytes: number;
}

/** "off" disables a rule; a severity keeps it on and overrides its severity. */
export type RuleSetting = "off" | "on" | Severity;

export interface ScanOptions {
  dialect?: SqlDialect;
  rules?: Record<string, RuleSetting>;
  minSeverity?: Severity;
  limits?: Partial<ScanLimits>;
  /** Propose and verify a patch for each injection finding (default true; bounded by MAX_FIXES_PER_SCAN). */
  fixes?: boolean;
  /** Called after each file is analysed with how many of the accepted files are done. */
  onProgress?: (done: number, total: number) => void;
}

export interface ScanStats {
  files: number;
  filesScanned: number;
  filesSkipped: number;
  bytes: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  rulesRun: number;
}

export interface ScanResult {
  engineVersion: string;
  findings: Finding[];
  /** Findings inline directives accepted: not counted, kept for SARIF and audit. Absent when none. */
  suppressed?: Finding[];
  notifications: Notification[];
  stats: ScanStats;
}

/** The order findings are reported in: by path (code points), line, column, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  const l = a.location;
  const r = b.location;
  return (
    (l.path < r.path ? -1 : l.path > r.path ? 1 : 0) ||
    l.startLine - r.startLine ||
    l.startColumn - r.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
