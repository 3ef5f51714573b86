/**
 * Everything the engine does to one file: the text pass, one parse and one walk (JS/TS) or one
 * split (SQL), the SQL pass, then turning reports into findings. Each rule's listeners are
 * guarded: a rule that throws is switched off for this file and named in a notification
 * (STYLE.md §7), and the other rules go on.
 */
import { maskCardNumbers, maskRanges } from "./mask";
import { parseJs, type JsNode } from "./parse/js";
import { parseSql } from "./parse/sql";
import { splitSqlStatements } from "./parse/sql-split";
import type { SqlStatement } from "./parse/sql-statement";
import { walk, type WalkHandler } from "./parse/walk";
import { FingerprintCounter } from "./report/fingerprint";
import type { Redaction, Report, Rule, RuleContext, RuleListeners } from "./rule";
import { locationOf, type SourceFile } from "./source";
import { sqlCandidate, type SqlCandidate } from "./sql-in-code";
import type { Finding, Notification, ScanLimits, Severity, SqlDialect } from "./types";

export interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

export interface FileOutcome {
  findings: Finding[];
  notifications: Notification[];
}

interface RuleState {
  active: ActiveRule;
  listeners: RuleListeners;
  reports: Report[];
  failed: boolean;
}

const SNIPPET_MAX_LINES = 5;
const SNIPPET_MAX_LINE = 240;

export async function analyzeFile(
  file: SourceFile,
  rules: ActiveRule[],
  options: { dialect: SqlDialect; dialectFallback: boolean; limits: ScanLimits },
): Promise<FileOutcome> {
  const notifications: Notification[] = [];
  const redactions: Redaction[] = [];
  const states: RuleState[] = [];

  const guard = (state: RuleState, fn: () => void) => {
    if (state.failed) return;
    try {
      fn();
    } catch (error) {
      state.failed = true;
      notifications.push({
        level: "error",
        code: "rule-error",
        ruleId: state.active.rule.id,
        path: file.path,
        message: `Rule ${state.active.rule.id} failed on this file and was skipped: ${maskCardNumbers(String((error as Error)?.message ?? error)).slice(0, 200)}`,
      });
    }
  };

  for (const active of rules) {
    if (!active.rule.meta.languages.includes(file.language)) continue;
    const state: RuleState = { active, listeners: {}, reports: [], failed: false };
    const ctx: RuleContext = {
      file,
      dialect: options.dialect,
      limits: options.limits,
      report: (r) => {
        if (state.reports.length < options.limits.maxFindingsPerRule) state.reports.push(r);
        else if (state.reports.length === options.limits.maxFindingsPerRule) {
          state.reports.push(r); // one past the cap marks that the cap was hit; dropped below
          notifications.push({ level: "warning", code: "finding-cap", ruleId: active.rule.id, path: file.path, message: `Rule ${active.rule.id} reached its cap of ${options.limits.maxFindingsPerRule} findings on this file; further findings are not listed.` });
        }
      },
      redact: (r) => redactions.push(r),
      notify: (code, message, line) => notifications.push({ level: "warning", code, ruleId: active.rule.id, path: file.path, message, line }),
    };
    guard(state, () => {
      state.listeners = active.rule.create(ctx);
    });
    states.push(state);
  }

  for (const s of states) if (s.listeners.text) guard(s, s.listeners.text);

  const statements: SqlStatement[] = [];
  const wantsSql = states.some((s) => s.listeners.sql);
  if (file.language === "javascript" || file.language === "typescript") {
    const candidates = walkJs(file, states, guard, wantsSql, options.limits, notifications);
    for (const c of candidates) statements.push(await toStatement(c, "js-string", options));
  } else if (file.language === "sql" && wantsSql) {
    for (const span of splitSqlStatements(file.text)) {
      const text = file.text.slice(span.start, span.end);
      if (text.length > options.limits.maxSqlLength) {
        const pos = file.lines.position(span.start);
        notifications.push({ level: "warning", code: "sql-too-long", path: file.path, line: pos.line, column: pos.column, message: `SQL statement of ${text.length} characters exceeds the ${options.limits.maxSqlLength}-character limit and was not parsed; card-data and secret checks still ran on it.` });
        continue;
      }
      const statement = await toStatement({ text, start: span.start, end: span.end, verbatimAt: span.start }, "sql-file", options);
      if (!statement.ast) {
        const pos = file.lines.position(span.start);
        notifications.push({ level: "warning", code: "sql-parse-error", path: file.path, line: pos.line, column: pos.column, message: `SQL statement did not parse as ${options.dialectFallback ? "any supported dialect" : options.dialect}; card-data and secret checks still ran on it.` });
      }
      statements.push(statement);
    }
  }
  for (const statement of statements) {
    for (const s of states) if (s.listeners.sql) guard(s, () => s.listeners.sql!(statement));
  }
  for (const s of states) if (s.listeners.end) guard(s, s.listeners.end);

  return { findings: toFindings(file, states, redactions, options.limits.maxFindingsPerRule), notifications };
}

function walkJs(
  file: SourceFile,
  states: RuleState[],
  guard: (s: RuleState, fn: () => void) => void,
  wantsSql: boolean,
  limits: ScanLimits,
  notifications: Notification[],
): SqlCandidate[] {
  const candidates: SqlCandidate[] = [];
  const hasJs = states.some((s) => s.listeners.js);
  if (!hasJs && !wantsSql) return candidates;
  const parsed = parseJs(file);
  if (!parsed.ok) {
    notifications.push({ level: "warning", code: "parse-error", path: file.path, line: parsed.line, column: parsed.column, message: `Could not parse as ${file.language}: ${parsed.message}. Card-data and secret checks still ran on this file.` });
    return candidates;
  }
  const enterLists = new Map<string, WalkHandler[]>();
  const exitLists = new Map<string, WalkHandler[]>();
  for (const s of states) {
    for (const [key, fn] of Object.entries(s.listeners.js ?? {})) {
      const exit = key.endsWith(":exit");
      const type = exit ? key.slice(0, -5) : key;
      const lists = exit ? exitLists : enterLists;
      if (!lists.has(type)) lists.set(type, []);
      lists.get(type)!.push((node, parent) => guard(s, () => fn(node, parent)));
    }
  }
  if (wantsSql) {
    const consumed = new Set<JsNode>();
    const collect: WalkHandler = (node, parent) => {
      if (node.type === "BinaryExpression" && parent?.type === "BinaryExpression" && parent.operator === "+") return;
      const c = sqlCandidate(node, consumed);
      if (c) candidates.push(c);
    };
    for (const type of ["Literal", "TemplateLiteral", "BinaryExpression"]) {
      if (!enterLists.has(type)) enterLists.set(type, []);
      enterLists.get(type)!.push(collect);
    }
  }
  const merge = (lists: Map<string, WalkHandler[]>) =>
    new Map([...lists].map(([type, fns]) => [type, fns.length === 1 ? fns[0]! : (node: JsNode, parent: JsNode | null) => { for (const fn of fns) fn(node, parent); }] as const));
  const outcome = walk(parsed.program, merge(enterLists), merge(exitLists), { maxNodes: limits.maxAstNodes, maxDepth: limits.maxAstDepth });
  if (outcome.stopped === "ast-too-large") {
    notifications.push({ level: "warning", code: "ast-too-large", path: file.path, message: `File has more than ${limits.maxAstNodes} syntax nodes; analysis stopped there. Card-data and secret checks covered the whole file.` });
  } else if (outcome.stopped === "ast-too-deep") {
    notifications.push({ level: "warning", code: "ast-too-deep", path: file.path, message: `Code nested deeper than ${limits.maxAstDepth} levels was not analysed. Card-data and secret checks covered the whole file.` });
  }
  return candidates;
}

async function toStatement(
  c: SqlCandidate,
  origin: SqlStatement["origin"],
  options: { dialect: SqlDialect; dialectFallback: boolean; limits: ScanLimits },
): Promise<SqlStatement> {
  const tooLong = c.text.length > options.limits.maxSqlLength;
  // Strings in code are often fragments: try other dialects only for whole .sql files.
  const result = tooLong ? null : await parseSql(c.text, options.dialect, options.dialectFallback && origin === "sql-file");
  return {
    text: c.text,
    origin,
    start: c.start,
    end: c.end,
    dialect: result?.ok ? result.dialect : options.dialect,
    ast: result?.ok ? result.ast : null,
    fileOffset: (i) => (c.verbatimAt === null ? c.start : c.verbatimAt + Math.max(0, Math.min(i, c.text.length))),
  };
}

function toFindings(file: SourceFile, states: RuleState[], redactions: Redaction[], maxFindingsPerRule: number): Finding[] {
  const counter = new FingerprintCounter();
  const findings: Finding[] = [];
  const all: Array<{ state: RuleState; report: Report }> = [];
  for (const state of states) {
    for (const report of state.reports.slice(0, maxFindingsPerRule)) all.push({ state, report });
  }
  all.sort((a, b) => a.report.start - b.report.start || a.report.end - b.report.end || cmp(a.state.active.rule.id, b.state.active.rule.id));
  for (const { state, report } of all) {
    const { rule, severity } = state.active;
    const location = locationOf(file, report.start, report.end);
    const fingerprint = counter.next(rule.id, file.path, file.lines.line(location.startLine), report.fingerprintKey ?? "");
    findings.push({
      id: fingerprint.slice(0, 20),
      ruleId: rule.id,
      severity: report.severity ?? severity,
      confidence: report.confidence ?? rule.meta.confidence,
      title: rule.meta.title,
      message: maskCardNumbers(report.message),
      cwe: rule.meta.cwe,
      owasp: rule.meta.owasp,
      pci: rule.meta.pci,
      category: rule.meta.category,
      tags: [...new Set([...(rule.meta.tags ?? []), ...(report.tags ?? [])])],
      location,
      snippet: snippetOf(file, location.startLine, location.endLine, location.startColumn, redactions),
      flow: report.flow ?? [],
      fingerprint,
      remediation: rule.meta.remediation,
      ...(report.proof ? { proof: report.proof } : {}),
    });
  }
  return findings;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The finding's lines, masked (card numbers, secrets) and clipped around long lines. */
export function snippetOf(file: SourceFile, startLine: number, endLine: number, startColumn: number, redactions: Redaction[]): string {
  const last = Math.min(endLine, startLine + SNIPPET_MAX_LINES - 1);
  const from = file.lines.starts[startLine - 1]!;
  const nextStart = file.lines.starts[last];
  const to = nextStart === undefined ? file.text.length : nextStart - 1;
  const local = redactions
    .filter((r) => r.end > from && r.start < to)
    .map((r) => ({ start: Math.max(0, r.start - from), end: Math.min(to, r.end) - from, kind: r.kind }));
  const masked = maskCardNumbers(maskRanges(file.text.slice(from, to), local));
  return masked
    .split("\n")
    .map((line, i) => {
      const l = line.replace(/\r$/, "");
      if (l.length <= SNIPPET_MAX_LINE) return l;
      const centre = i === 0 ? startColumn - 1 : 0;
      const a = Math.max(0, Math.min(centre - 80, l.length - SNIPPET_MAX_LINE));
      return (a > 0 ? "…" : "") + l.slice(a, a + SNIPPET_MAX_LINE) + (a + SNIPPET_MAX_LINE < l.length ? "…" : "");
    })
    .join("\n");
}
