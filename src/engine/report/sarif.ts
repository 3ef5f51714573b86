/**
 * SARIF 2.1.0 output shaped for GitHub code scanning (REFERENCE.md §3): one run, full rule
 * descriptors with help and security-severity, results with stable partial fingerprints and
 * URIs relative to the repository root (`uriBaseId` "%SRCROOT%", resolved by
 * `originalUriBaseIds` when the caller knows the root, so a report made in a subfolder still maps
 * to the repository's files), taint paths as code flows, scan notifications as tool execution
 * notifications, and always an `automationDetails.id`. GitHub rejects a file past its limits, so
 * those are enforced here. A proven fix is written as the result's `fixes` (SARIF §3.55), which
 * viewers may offer to apply; plausible and rejected ones are not (nothing showed they work), and
 * every fix's verdict is in the result's `properties.fixVerdict`. GitHub code scanning ignores
 * `fixes` today; other SARIF viewers and `pci-auditor scan --fix` read them.
 */
import type { Rule, RuleMeta } from "../rule";
import { RULES } from "../rules/index";
import type { Confidence, Finding, Fix, Location, Notification, ScanResult, Severity } from "../types";
import { SEVERITIES } from "../types";
import { cweUrl, owaspCategory, pciRequirementTitle } from "./standard-titles";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub code scanning's upload limits (github/docs `sarif-limits.md`). */
export const SARIF_LIMITS = {
  resultsPerRun: 25_000,
  tagsPerRule: 20,
  threadFlowLocationsPerResult: 10_000,
} as const;

export type SarifLevel = "error" | "warning" | "note";

/** SARIF level of a severity: critical/high → error, medium → warning, low/info → note. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "note";
}

/**
 * GitHub's security-severity score for a severity. GitHub maps >9.0 to critical, 7.0–8.9 to
 * high, 4.0–6.9 to medium and 0.1–3.9 to low, and has no lower band, so info shares low's band
 * at its bottom ("1.0") while its level stays "note".
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

const PRECISION: Readonly<Record<Confidence, "high" | "medium" | "low">> = { high: "high", medium: "medium", low: "low" };

export interface SarifOptions {
  /** Rules to describe in `tool.driver.rules`; default: the whole registry. Rules that findings cite are always added. */
  rules?: readonly Rule[];
  /** `automationDetails.id` as GitHub reads it, "category/run-id" (e.g. "pci-auditor/scan_123"). */
  automationId?: string;
  /** Just the GitHub analysis category: written as `automationDetails.id` "category/" (ignored with `automationId`). */
  category?: string;
  /** The tool's home page, written as `tool.driver.informationUri` when given. */
  informationUri?: string;
  /**
   * Where the report's paths start inside the repository: the scan folder relative to the root
   * ("services/pay" when a CI step scanned from there), prefixed to every URI so it is
   * repository-relative; "" or absent when paths already are.
   */
  pathPrefix?: string;
  /** The repository root as a `file:` URI ending in "/", written as `originalUriBaseIds["%SRCROOT%"]`. */
  srcRoot?: string;
}

/** The base every artifact URI is relative to: the repository root. */
export const SRCROOT = "%SRCROOT%";
/** `automationDetails.id` when no category is given: GitHub's category "pci-auditor". */
const DEFAULT_CATEGORY = "pci-auditor";

/* Just the SARIF shapes this reporter writes (a subset of the 2.1.0 schema). */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [SarifRun];
}

export interface SarifRun {
  tool: { driver: { name: string; semanticVersion: string; informationUri?: string; rules: SarifRule[] } };
  originalUriBaseIds?: Record<string, { uri: string }>;
  automationDetails: { id: string };
  columnKind: "utf16CodeUnits";
  invocations: [{ executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }];
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: "high" | "medium" | "low"; "security-severity"?: string; category: string };
}

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region?: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: [{ physicalLocation: SarifPhysicalLocation }];
  partialFingerprints: { primaryLocationLineHash: string };
  codeFlows?: [{ threadFlows: [{ locations: Array<{ location: { physicalLocation: SarifPhysicalLocation; message: { text: string } } }> }] }];
  properties: { severity: Severity; confidence: Confidence; pci: string[]; tags: string[]; fixVerdict?: Fix["verdict"] };
  /** An inline directive accepted this result: GitHub code scanning shows it as dismissed. */
  suppressions?: [{ kind: "inSource"; justification?: string }];
  /** The finding's fix, when re-attacking the patched code proved it. */
  fixes?: [SarifFix];
}

export interface SarifFix {
  description: { text: string };
  artifactChanges: Array<{
    artifactLocation: { uri: string; uriBaseId: string };
    replacements: Array<{ deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }>;
  }>;
}

export interface SarifNotification {
  level: SarifLevel;
  message: { text: string };
  descriptor: { id: string };
  associatedRule?: { id: string };
  locations?: [{ physicalLocation: SarifPhysicalLocation }];
}

/**
 * Renders a scan result as a SARIF 2.1.0 log for GitHub code scanning.
 *
 * @example
 *   const log = toSarif(await scan(input), { category: "pci-auditor" });
 *   await writeFile("pci.sarif", JSON.stringify(log));
 */
export function toSarif(result: Pick<ScanResult, "engineVersion" | "findings" | "suppressed" | "notifications">, options: SarifOptions = {}): SarifLog {
  const metas = new Map<string, RuleMeta>();
  for (const rule of options.rules ?? RULES) metas.set(rule.id, rule.meta);
  const suppressed = result.suppressed ?? [];
  for (const f of [...result.findings, ...suppressed]) if (!metas.has(f.ruleId)) metas.set(f.ruleId, metaFromFinding(f));
  const ids = [...metas.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));

  const kept = capResults(result.findings, SARIF_LIMITS.resultsPerRun);
  // Suppressed results ride along (SARIF `suppressions`) in what room the cap leaves.
  const keptSuppressed = suppressed.slice(0, Math.max(0, SARIF_LIMITS.resultsPerRun - kept.length));
  const uri = (path: string) => artifactUri(path, options.pathPrefix);
  const notifications = result.notifications.map((n) => toNotification(n, uri));
  if (kept.length < result.findings.length) {
    notifications.push({
      level: "warning",
      message: {
        text: `The scan found ${result.findings.length} results; SARIF output keeps the ${kept.length} most severe (GitHub accepts at most ${SARIF_LIMITS.resultsPerRun} per run). Use the JSON format for the full list.`,
      },
      descriptor: { id: "sarif-result-cap" },
    });
  }

  const run: SarifRun = {
    tool: {
      driver: {
        name: "pci-auditor",
        semanticVersion: result.engineVersion,
        ...(options.informationUri ? { informationUri: options.informationUri } : {}),
        rules: ids.map((id) => toRule(id, metas.get(id)!)),
      },
    },
    ...(options.srcRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: options.srcRoot } } } : {}),
    automationDetails: automationDetails(options),
    columnKind: "utf16CodeUnits",
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    results: [...kept, ...keptSuppressed].map((f) => toResult(f, index.get(f.ruleId)!, uri)),
  };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

/** GitHub takes everything before the last "/" of the id as the category, so a bare category gets a trailing "/". */
function automationDetails(options: SarifOptions): { id: string } {
  if (options.automationId) return { id: options.automationId };
  const category = options.category || DEFAULT_CATEGORY;
  return { id: category.endsWith("/") ? category : category + "/" };
}

function toRule(id: string, meta: RuleMeta): SarifRule {
  return {
    id,
    name: pascalCase(meta.title) || pascalCase(id),
    shortDescription: { text: clip(meta.title, 1024) },
    fullDescription: { text: clip(meta.description, 1024) },
    ...(meta.references[0] ? { helpUri: meta.references[0] } : {}),
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      tags: ruleTags(meta),
      precision: PRECISION[meta.confidence],
      // GitHub would rank an info-level rule as a low-severity security alert.
      ...(meta.severity === "info" ? {} : { "security-severity": SECURITY_SEVERITY[meta.severity] }),
      category: meta.category,
    },
  };
}

/** A descriptor for a rule that is not in the registry (e.g. a stored result from an older engine). */
function metaFromFinding(f: Finding): RuleMeta {
  return {
    title: f.title,
    description: f.title,
    severity: f.severity,
    confidence: f.confidence,
    category: f.category,
    cwe: f.cwe,
    owasp: f.owasp,
    pci: f.pci,
    remediation: f.remediation,
    references: [],
    tags: f.tags,
    languages: [],
  };
}

/** "security", "pci-dss", CodeQL-style CWE tags, then PCI, OWASP and the rule's own tags; at most 20. */
export function ruleTags(meta: Pick<RuleMeta, "cwe" | "pci" | "owasp" | "tags">): string[] {
  const tags = [
    "security",
    "pci-dss",
    ...meta.cwe.map((c) => `external/cwe/cwe-${c.replace(/^CWE-/i, "").padStart(3, "0")}`),
    ...meta.pci.map((p) => `pci-dss-${p}`),
    ...meta.owasp.map((o) => `owasp-${o.toLowerCase().replace(":", "-")}`),
    ...(meta.tags ?? []),
  ];
  return [...new Set(tags)].slice(0, SARIF_LIMITS.tagsPerRule);
}

function helpText(meta: RuleMeta): string {
  const lines = [meta.description, "", `Remediation: ${meta.remediation}`, ""];
  if (meta.pci.length) lines.push(`PCI DSS v4.0.1: ${meta.pci.map((p) => withTitle(p, pciRequirementTitle(p))).join("; ")}`);
  if (meta.cwe.length) lines.push(`CWE: ${meta.cwe.join(", ")}`);
  if (meta.owasp.length) lines.push(`OWASP Top 10 2021: ${meta.owasp.map((o) => withTitle(o, owaspCategory(o)?.title)).join("; ")}`);
  if (meta.references.length) lines.push("", "References:", ...meta.references.map((r) => `- ${r}`));
  return lines.join("\n").trim();
}

function helpMarkdown(meta: RuleMeta): string {
  const out = [escapeMarkdown(meta.description), "", "## Remediation", "", escapeMarkdown(meta.remediation), "", "## Standards", ""];
  for (const p of meta.pci) out.push(`- PCI DSS v4.0.1 requirement ${withTitle(p, pciRequirementTitle(p))}`);
  for (const c of meta.cwe) {
    const url = cweUrl(c);
    out.push(url ? `- [${c}](${url})` : `- ${escapeMarkdown(c)}`);
  }
  for (const o of meta.owasp) {
    const cat = owaspCategory(o);
    out.push(cat ? `- OWASP Top 10 2021 [${o} ${cat.title}](${cat.url})` : `- OWASP Top 10 2021 ${escapeMarkdown(o)}`);
  }
  if (meta.references.length) out.push("", "## References", "", ...meta.references.map((r) => `- <${r}>`));
  return out.join("\n").trim();
}

function withTitle(id: string, title: string | undefined): string {
  return title ? `${id} (${title})` : id;
}

/** Escapes Markdown outside code spans; `code spans` (which rule texts use for APIs) stay as they are and render as code. */
function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]<>]/g, (c) => "\\" + c)))
    .join("");
}

/** "Card number in source code" → "CardNumberInSourceCode". */
function pascalCase(text: string): string {
  return clip(
    text
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
    255,
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}

/** Keeps the `max` most severe findings (earlier first among equals), in their original order. */
function capResults(findings: Finding[], max: number): Finding[] {
  if (findings.length <= max) return findings;
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const chosen = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i);
  return chosen.map((c) => c.f);
}

function toResult(f: Finding, ruleIndex: number, uri: (path: string) => string): SarifResult {
  const result: SarifResult = {
    ruleId: f.ruleId,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: f.message || f.title },
    locations: [{ physicalLocation: physicalLocation(f.location, uri) }],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint },
    properties: { severity: f.severity, confidence: f.confidence, pci: f.pci, tags: f.tags, ...(f.fix ? { fixVerdict: f.fix.verdict } : {}) },
  };
  if (f.flow.length > 0) {
    const steps = f.flow.slice(0, SARIF_LIMITS.threadFlowLocationsPerResult);
    result.codeFlows = [
      { threadFlows: [{ locations: steps.map((s) => ({ location: { physicalLocation: physicalLocation(s.location, uri), message: { text: s.message } } })) }] },
    ];
  }
  if (f.suppression) result.suppressions = [{ kind: "inSource", ...(f.suppression.justification ? { justification: f.suppression.justification } : {}) }];
  const fix = f.fix?.verdict === "proven" ? toFix(f.fix, uri) : null;
  if (fix) result.fixes = [fix];
  return result;
}

/**
 * A fix's changes as SARIF replacements: regions of the original file (an empty region is an
 * insertion point). Null for a fix without edits, which SARIF cannot express (a stored record).
 */
function toFix(fix: Fix, uri: (path: string) => string): SarifFix | null {
  const changes = fix.changes.filter((c) => c.replacements.length > 0);
  if (changes.length === 0) return null;
  return {
    description: { text: `${fix.description} Verdict: ${fix.verdict}. ${fix.evidence}` },
    artifactChanges: changes.map((change) => ({
      artifactLocation: { uri: uri(change.path), uriBaseId: SRCROOT },
      replacements: change.replacements.map((r) => ({
        deletedRegion: { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn },
        insertedContent: { text: r.text },
      })),
    })),
  };
}

function physicalLocation(l: Location, uri: (path: string) => string): SarifPhysicalLocation {
  return {
    artifactLocation: { uri: uri(l.path), uriBaseId: SRCROOT },
    region: { startLine: l.startLine, startColumn: l.startColumn, endLine: l.endLine, endColumn: l.endColumn },
  };
}

function toNotification(n: Notification, uri: (path: string) => string): SarifNotification {
  const out: SarifNotification = { level: n.level, message: { text: n.message }, descriptor: { id: n.code } };
  if (n.ruleId) out.associatedRule = { id: n.ruleId };
  if (n.path) {
    const region = n.line ? { startLine: n.line, ...(n.column ? { startColumn: n.column } : {}) } : undefined;
    out.locations = [{ physicalLocation: { artifactLocation: { uri: uri(n.path), uriBaseId: SRCROOT }, ...(region ? { region } : {}) } }];
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A finding path as a URI reference relative to the repository root: `prefix` (the scanned
 * folder inside the repository) goes first and ".." segments are resolved against it,
 * backslashes become slashes, a leading "./", drive letter or root slash is dropped (GitHub wants
 * repo-relative paths, never absolute ones), and each segment is percent-encoded
 * ("my file#1.js" → "my%20file%231.js").
 *
 * @example artifactUri("../shared/db.js", "services/pay") // "services/shared/db.js"
 */
export function artifactUri(path: string, prefix = ""): string {
  const segments: string[] = [];
  for (const s of `${prefix}/${path.replace(/^[A-Za-z]:(?=[\\/])/, "")}`.replace(/\\/g, "/").split("/")) {
    if (s === "" || s === ".") continue;
    // ".." leaves the prefix's folder; past the root it stays (a path outside the repository).
    if (s === ".." && segments.length > 0 && segments[segments.length - 1] !== "..") segments.pop();
    else segments.push(s);
  }
  // encodeURIComponent throws on a lone surrogate, which a path from an API client may hold.
  return segments.map((s) => encodeURIComponent(s.replace(LONE_SURROGATE, "\uFFFD"))).join("/");
}
