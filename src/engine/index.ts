/**
 * The analysis engine: `scan(input, options) → ScanResult`. Pure TypeScript with no I/O, clock
 * or Workers imports, so the Worker, the CLI and the benchmarks run the same code. Deterministic:
 * the same input and options give the same findings in the same order.
 */
import { analyzeFile, type ActiveRule } from "./analyze-file";
import { FixBudget, proposeFixes, verifyPatch, type FixProject, type FixTarget } from "./fixes/index";
import { DEFAULT_LIMITS, overScanLimit } from "./limits";
import { guardFix, guardScanResult } from "./report/output-boundary";
import { applySuppressions } from "./suppressions";
import { RULES } from "./rules/index";
import { parseJs } from "./parse/js";
import { analysisGroups } from "./project/groups";
import { createResolver } from "./project/resolve";
import { byteLength, createSourceFile, decodeContent, type SourceFile } from "./source";
import { shareProject } from "./taint/index";
import type { ProjectModule } from "./taint/interpreter";
import {
  compareFindings,
  SEVERITIES,
  type Finding,
  type Fix,
  type FixReplacement,
  type Notification,
  type ScanInput,
  type ScanLimits,
  type ScanOptions,
  type ScanResult,
  type Severity,
  type SqlDialect,
} from "./types";
import { ENGINE_VERSION } from "./version";

export * from "./types";
export { ENGINE_VERSION } from "./version";
export { DEFAULT_LIMITS, CLI_LIMITS } from "./limits";
export { RULES } from "./rules/index";
export { maskCardNumbers, maskPan, maskSecret } from "./mask";

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Rules that run under these options, with their effective severity, plus notes on unknown ids. */
export function resolveRules(options: ScanOptions): { active: ActiveRule[]; notifications: Notification[] } {
  const settings = options.rules ?? {};
  const notifications: Notification[] = [];
  for (const id of Object.keys(settings).sort()) {
    if (!RULES.some((r) => r.id === id))
      notifications.push({ level: "warning", code: "unknown-rule", ruleId: id, message: `Unknown rule id "${id}" in options.rules was ignored.` });
  }
  const active: ActiveRule[] = [];
  for (const rule of RULES) {
    const setting = settings[rule.id] ?? "on";
    if (setting === "off") continue;
    const severity = setting === "on" ? rule.meta.severity : setting;
    active.push({ rule, severity });
  }
  return { active, notifications };
}

/**
 * Scans files for PCI DSS problems.
 *
 * @example
 *   const result = await scan({ files: [{ path: "db.sql", content: "GRANT ALL ON *.* TO app;" }] });
 *   result.findings[0].ruleId; // "sql-overbroad-grant"
 */
export async function scan(input: ScanInput, options: ScanOptions = {}): Promise<ScanResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { active, notifications } = resolveRules(options);
  const findings: Finding[] = [];
  const { files, bytes } = readFiles(input, limits, notifications);
  // The files that import each other are one project: parsed together, their dataflow followed
  // across modules, then dropped before the next group is parsed.
  const resolve = createResolver(files);
  const { groups, notifications: grouping } = analysisGroups(files, resolve, limits.maxProjectBytes);
  notifications.push(...grouping);
  const fileOptions = { dialect: options.dialect ?? "mysql", dialectFallback: options.dialect === undefined, limits };
  let done = 0;
  const fixes = options.fixes === false ? null : { budget: new FixBudget(notifications), limits: { ...limits } };
  // Text files that are not code go last: a render call in code may report into a view template among them.
  const assets = files.filter((f) => f.language === "text");
  const isAsset = (group: SourceFile[]) => group.every((f) => f.language === "text");
  for (const group of [...groups.filter((g) => !isAsset(g)), ...groups.filter(isAsset)]) {
    const parses = group.map((file) => (file.language === "javascript" || file.language === "typescript" ? parseJs(file) : undefined));
    const modules: ProjectModule[] = [];
    parses.forEach((p, i) => p?.ok && modules.push({ file: group[i]!, program: p.program }));
    if (modules.length > 1 || (modules.length === 1 && assets.length > 0)) shareProject(modules, resolve, assets);
    const sinks: FixTarget[] = [];
    for (let i = 0; i < group.length; i++) {
      const outcome = await analyzeFile(group[i]!, active, { ...fileOptions, parsed: parses[i] });
      findings.push(...outcome.findings);
      notifications.push(...outcome.notifications);
      sinks.push(...outcome.sinks);
      options.onProgress?.(++done, files.length);
    }
    // Fixes are verified while the group's parses are at hand: each re-runs the group patched.
    if (fixes && sinks.length > 0) {
      await proposeFixes(sinks, { files: group, parses, resolve, rules: active, dialect: fileOptions.dialect, limits: fixes.limits }, fixes.budget);
    }
  }
  const filesScanned = files.length;
  const min = rank(options.minSeverity ?? "info");
  const reported = applySuppressions(
    dropSuperseded(findings).filter((f) => rank(f.severity) <= min),
    files,
    RULE_IDS,
  );
  notifications.push(...reported.notifications);
  const kept = reported.findings;
  kept.sort(compareFindings);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of kept) bySeverity[f.severity]++;
  return guardScanResult({
    engineVersion: ENGINE_VERSION,
    findings: kept,
    ...(reported.suppressed.length > 0 ? { suppressed: reported.suppressed.sort(compareFindings) } : {}),
    notifications,
    stats: {
      files: input.files.length,
      filesScanned,
      filesSkipped: input.files.length - filesScanned,
      bytes,
      findings: kept.length,
      bySeverity,
      rulesRun: active.length,
    },
  });
}

/** The submitted files the engine can read, within the scan's limits; notes on those it skips. */
function readFiles(input: ScanInput, limits: ScanLimits, notifications: Notification[]): { files: SourceFile[]; bytes: number } {
  const files: SourceFile[] = [];
  let bytes = 0;
  for (let i = 0; i < input.files.length; i++) {
    const f = input.files[i]!;
    const size = byteLength(f.content);
    const over = overScanLimit({ index: i, count: input.files.length, path: f.path, size }, bytes, limits);
    if (over) {
      notifications.push(over.notification);
      if (over.stop) break;
      continue;
    }
    const decoded = decodeContent(f.content);
    if (!decoded.ok) {
      notifications.push({
        level: "note",
        code: decoded.reason,
        path: f.path,
        message: decoded.reason === "binary-file" ? "Binary file skipped." : "File is not valid UTF-8 text; it was skipped.",
      });
      continue;
    }
    bytes += size;
    files.push(createSourceFile(f.path, decoded.text));
  }
  return { files, bytes };
}

/** A patch proposed elsewhere (the Worker's AI model) for a finding of a scan. */
export interface ProposedFix {
  finding: Finding;
  description: string;
  replacements: FixReplacement[];
}

/**
 * Verifies patches proposed elsewhere for findings of a scan of the same input and options,
 * exactly as the engine verifies its own (src/engine/fixes): applied in memory, re-parsed, the
 * dataflow and the attack re-run. The input is read, grouped and parsed once for all of them,
 * and their re-runs share one dataflow budget. Each answer is null when its finding has no
 * simulated sink, its file is not code in the input, or its replacements fall outside the file.
 */
export async function verifyFixes(input: ScanInput, proposals: readonly ProposedFix[], options: ScanOptions = {}): Promise<Array<Fix | null>> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { files } = readFiles(input, limits, []);
  const resolve = createResolver(files);
  const { groups } = analysisGroups(files, resolve, limits.maxProjectBytes);
  const rules = resolveRules(options).active;
  const projects = new Map<SourceFile, FixProject>();
  const projectOf = (file: SourceFile): FixProject => {
    let project = projects.get(file);
    if (project) return project;
    const group = groups.find((g) => g.includes(file)) ?? [file];
    const parses = group.map((f) => (f.language === "javascript" || f.language === "typescript" ? parseJs(f) : undefined));
    project = { files: group, parses, resolve, rules, dialect: options.dialect ?? "mysql", limits };
    for (const f of group) projects.set(f, project);
    return project;
  };
  const out: Array<Fix | null> = [];
  for (const { finding, description, replacements } of proposals) {
    const kind = finding.proof?.kind;
    const file = files.find((f) => f.path === finding.location.path);
    if (!kind || kind === "regex" || !file || (file.language !== "javascript" && file.language !== "typescript")) {
      out.push(null);
      continue;
    }
    const offset = (line: number, column: number) => file.lines.offset(line, column - 1);
    const edits = replacements.map((r) => ({ start: offset(r.startLine, r.startColumn), end: offset(r.endLine, r.endColumn), text: r.text }));
    if (edits.some((e) => e.start > e.end || e.end > file.text.length)) {
      out.push(null);
      continue;
    }
    const { location } = finding;
    const target = {
      finding,
      file,
      start: offset(location.startLine, location.startColumn),
      end: offset(location.endLine, location.endColumn),
      kind,
      ...(finding.proof?.parser.dialect ? { dialect: finding.proof.parser.dialect as SqlDialect } : {}),
      payload: finding.proof?.payload,
    };
    out.push(guardFix(await verifyPatch(target, edits, { origin: "ai", description }, projectOf(file))));
  }
  return out;
}

/** verifyFixes for one patch. */
export async function verifyFix(
  input: ScanInput,
  finding: Finding,
  patch: { description: string; replacements: FixReplacement[] },
  options: ScanOptions = {},
): Promise<Fix | null> {
  return (await verifyFixes(input, [{ finding, ...patch }], options))[0]!;
}

/** Rule id → the rules its findings replace at the same place. */
const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

const SUPERSEDES = new Map(RULES.filter((r) => r.meta.supersedes?.length).map((r) => [r.id, r.meta.supersedes!]));

/** Drops findings that a more specific rule's finding at an overlapping location (same file) replaces. */
function dropSuperseded(findings: Finding[]): Finding[] {
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!SUPERSEDES.has(f.ruleId)) continue;
    const list = byPath.get(f.location.path);
    if (list) list.push(f);
    else byPath.set(f.location.path, [f]);
  }
  if (byPath.size === 0) return findings;
  return findings.filter(
    (f) => !(byPath.get(f.location.path) ?? []).some((s) => SUPERSEDES.get(s.ruleId)!.includes(f.ruleId) && overlaps(s.location, f.location)),
  );
}

function overlaps(a: Finding["location"], b: Finding["location"]): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return !before(a.endLine, a.endColumn, b.startLine, b.startColumn) && !before(b.endLine, b.endColumn, a.startLine, a.startColumn);
}
