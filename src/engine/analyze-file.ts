/**
 * Everything the engine does to one file: the text pass, one parse and one walk (JS/TS) or one
 * split (SQL), the SQL pass, then turning reports into findings. Each rule's listeners are
 * guarded: a rule that throws is switched off for this file and named in a notification
 * (STYLE.md §7), and the other rules go on.
 */
import { SharedTrackers } from "./js/shared-trackers";
import { maskCardNumbers, maskRanges } from "./mask";
import { parseJs, type JsNode, type JsParseResult } from "./parse/js";
import { guessSqlDialect, parseSql, type SqlParseResult } from "./parse/sql";
import { splitSqlStatements } from "./parse/sql-split";
import type { SqlStatement } from "./parse/sql-statement";
import { walk, type WalkHandler } from "./parse/walk";
import { FingerprintCounter } from "./report/fingerprint";
import { maskBeforeCut } from "./report/output-boundary";
import { prove } from "./simulator/index";
import { PROVEN_UNDER_ASSUMPTION } from "./taint/index";
import type { Redaction, Report, Rule, RuleContext, RuleListeners } from "./rule";
import { FindingBudget, SimulationBudget, SqlBudget } from "./scan-budget";
import { locationOf, type SourceFile } from "./source";
import { candidateFileOffset, sqlCandidate, type SqlCandidate } from "./sql-in-code";
import type { FixTarget } from "./fixes/index";
import type { Finding, Notification, ScanLimits, Severity, SqlDialect } from "./types";

export interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

export interface FileOutcome {
  findings: Finding[];
  notifications: Notification[];
  /** Injection findings with a simulated sink: what src/engine/fixes may patch. */
  sinks: FixTarget[];
}

/** A listener of the shared walk, and whose it is: a rule, the shared trackers, or null for the engine's SQL collector. */
interface Listening {
  state: RuleState | TrackersState | null;
  fn: WalkHandler;
}

/** The shared trackers belong to no single rule: one that throws switches off every rule that asked for them. */
interface TrackersState {
  failed: boolean;
  users: ReadonlySet<RuleState>;
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
  options: { dialect: SqlDialect; dialectFallback: boolean; limits: ScanLimits; parsed?: JsParseResult },
): Promise<FileOutcome> {
  const notifications: Notification[] = [];
  const redactions: Redaction[] = [];
  const states: RuleState[] = [];
  const longLinesNoted = new Set<number | undefined>();
  const findingBudget = new FindingBudget(options.limits);
  const shared = new SharedTrackers();
  /** The rules that asked for shared trackers: a tracker that throws switches them all off. */
  const sharedUsers = new Set<RuleState>();

  const fail = (state: RuleState, error: unknown) => {
    state.failed = true;
    notifications.push({
      level: "error",
      code: "rule-error",
      ruleId: state.active.rule.id,
      path: file.path,
      message: `Rule ${state.active.rule.id} failed on this file and was skipped: ${maskCardNumbers(String((error as Error)?.message ?? error)).slice(0, 200)}`,
    });
  };
  const guard = (state: RuleState, fn: () => void) => {
    if (state.failed) return;
    try {
      fn();
    } catch (error) {
      fail(state, error);
    }
  };

  for (const active of rules) {
    if (!active.rule.meta.languages.includes(file.language)) continue;
    const state: RuleState = { active, listeners: {}, reports: [], failed: false };
    const ctx: RuleContext = {
      file,
      dialect: options.dialect,
      limits: options.limits,
      shared,
      report: (r) => {
        if (state.reports.length < options.limits.maxFindingsPerRule) {
          if (findingBudget.take(r.severity ?? active.severity)) state.reports.push(r);
        } else if (state.reports.length === options.limits.maxFindingsPerRule) {
          state.reports.push(r); // one past the cap marks that the cap was hit; dropped below
          notifications.push({
            level: "warning",
            code: "finding-cap",
            ruleId: active.rule.id,
            path: file.path,
            message: `Rule ${active.rule.id} reached its cap of ${options.limits.maxFindingsPerRule} findings on this file; further findings are not listed.`,
          });
        }
      },
      redact: (r) => redactions.push(r),
      notify: (code, message, line) => {
        // Every text detector skips the same over-long lines: say so once per line, not once per rule.
        if (code === "line-too-long") {
          if (longLinesNoted.has(line)) return;
          longLinesNoted.add(line);
        }
        notifications.push({ level: "warning", code, ruleId: active.rule.id, path: file.path, message, line });
      },
    };
    const asked = shared.requests;
    guard(state, () => {
      state.listeners = active.rule.create(ctx);
    });
    if (shared.requests !== asked) sharedUsers.add(state);
    states.push(state);
  }

  for (const s of states) if (s.listeners.text) guard(s, s.listeners.text);

  const statements: SqlStatement[] = [];
  const wantsSql = states.some((s) => s.listeners.sql);
  const budget = new SqlBudget(options.limits);
  if (file.language === "javascript" || file.language === "typescript") {
    const candidates = walkJs(
      file,
      options.parsed,
      states,
      sharedUsers.size > 0 ? { trackers: shared, users: sharedUsers } : null,
      fail,
      wantsSql,
      options.limits,
      notifications,
    );
    for (const c of candidates) if (budget.takeStatement(c.start)) statements.push((await toStatement(c, "js-string", options, budget)).statement);
  } else if (file.language === "sql" && wantsSql) {
    // Without a chosen dialect, start each statement's fallback with the one the file evidently uses.
    const sqlOptions = options.dialectFallback ? { ...options, dialect: guessSqlDialect(file.text) ?? options.dialect } : options;
    for (const span of splitSqlStatements(file.text, { dialect: options.dialectFallback ? undefined : options.dialect })) {
      if (!budget.takeStatement(span.start)) continue;
      const text = file.text.slice(span.start, span.end);
      const pos = file.lines.position(span.start);
      if (text.length > options.limits.maxSqlLength) {
        notifications.push({
          level: "warning",
          code: "sql-too-long",
          path: file.path,
          line: pos.line,
          column: pos.column,
          message: `SQL statement of ${text.length} characters exceeds the ${options.limits.maxSqlLength}-character limit and was not parsed; card-data and secret checks, and the token-level SQL checks, still ran on it.`,
        });
      }
      const candidate = { text, start: span.start, end: span.end, segments: [{ at: 0, fileAt: span.start, length: text.length }] };
      const { statement, attempted } = await toStatement(candidate, "sql-file", sqlOptions, budget);
      if (attempted && !statement.ast) {
        notifications.push({
          level: "warning",
          code: "sql-parse-error",
          path: file.path,
          line: pos.line,
          column: pos.column,
          message: `SQL statement did not parse as ${options.dialectFallback ? "any supported dialect" : options.dialect}; card-data and secret checks, and the token-level SQL checks, still ran on it.`,
        });
      }
      statements.push(statement);
    }
  }
  notifications.push(...budget.notifications(file));
  for (const statement of statements) {
    for (const s of states) if (s.listeners.sql) guard(s, () => s.listeners.sql!(statement));
  }
  for (const s of states) if (s.listeners.end) guard(s, s.listeners.end);
  await attachProofs(file, states, options.dialect, options.limits, notifications);

  const dropped = findingBudget.notification(file.path);
  if (dropped) notifications.push(dropped);
  const sinks: FixTarget[] = [];
  const findings = toFindings(file, states, redactions, options.limits.maxFindingsPerRule, sinks);
  return { findings, notifications, sinks };
}

function walkJs(
  file: SourceFile,
  /** The parse the project's analysis already made, if any. */
  parse: JsParseResult | undefined,
  states: RuleState[],
  shared: { trackers: SharedTrackers; users: ReadonlySet<RuleState> } | null,
  fail: (s: RuleState, error: unknown) => void,
  wantsSql: boolean,
  limits: ScanLimits,
  notifications: Notification[],
): SqlCandidate[] {
  const candidates: SqlCandidate[] = [];
  const hasJs = shared !== null || states.some((s) => s.listeners.js);
  if (!hasJs && !wantsSql) return candidates;
  const parsed = parse ?? parseJs(file);
  if (!parsed.ok) {
    notifications.push({
      level: "warning",
      code: "parse-error",
      path: file.path,
      line: parsed.line,
      column: parsed.column,
      message: `Could not parse as ${file.language}: ${parsed.message}. Card-data and secret checks still ran on this file.`,
    });
    return candidates;
  }
  // Per node type, the shared trackers' listeners, then the rules' in registry order; the SQL collector has no rule to fail.
  const enterLists = new Map<string, Listening[]>();
  const exitLists = new Map<string, Listening[]>();
  const add = (lists: Map<string, Listening[]>, type: string, entry: Listening) => {
    const list = lists.get(type);
    if (list) list.push(entry);
    else lists.set(type, [entry]);
  };
  const addAll = (listeners: Record<string, WalkHandler>, state: Listening["state"]) => {
    for (const [key, fn] of Object.entries(listeners)) {
      const exit = key.endsWith(":exit");
      add(exit ? exitLists : enterLists, exit ? key.slice(0, -5) : key, { state, fn });
    }
  };
  // The shared trackers run first on every node, so rules read them up to date.
  if (shared) {
    const trackers: TrackersState = { failed: false, users: shared.users };
    for (const set of shared.trackers.listenerSets()) addAll(set, trackers);
  }
  for (const s of states) addAll(s.listeners.js ?? {}, s);
  const failOwner = (state: RuleState | TrackersState, error: unknown) => {
    if (!("users" in state)) return fail(state, error);
    state.failed = true;
    for (const s of state.users) if (!s.failed) fail(s, error);
  };
  if (wantsSql) {
    const consumed = new Set<JsNode>();
    const collect: WalkHandler = (node, parent) => {
      if (node.type === "BinaryExpression" && parent?.type === "BinaryExpression" && parent.operator === "+") return;
      const c = sqlCandidate(node, consumed);
      if (c) candidates.push(c);
    };
    for (const type of ["Literal", "TemplateLiteral", "BinaryExpression"]) add(enterLists, type, { state: null, fn: collect });
  }
  // One handler per node type that calls each listener under its rule's guard: this runs for
  // every node, so it allocates nothing and adds one call, not one per listener.
  const dispatch = (lists: Map<string, Listening[]>) =>
    new Map(
      [...lists].map(([type, entries]): [string, WalkHandler] => [
        type,
        (node, parent) => {
          for (let i = 0; i < entries.length; i++) {
            const { state, fn } = entries[i]!;
            if (state === null) {
              fn(node, parent);
            } else if (!state.failed) {
              try {
                fn(node, parent);
              } catch (error) {
                failOwner(state, error);
              }
            }
          }
        },
      ]),
    );
  const outcome = walk(
    parsed.program,
    dispatch(enterLists),
    dispatch(exitLists),
    { maxNodes: limits.maxAstNodes, maxDepth: limits.maxAstDepth },
    { typescript: file.language === "typescript" },
  );
  if (outcome.stopped === "ast-too-large") {
    notifications.push({
      level: "warning",
      code: "ast-too-large",
      path: file.path,
      message: `File has more than ${limits.maxAstNodes} syntax nodes; analysis stopped there. Card-data and secret checks covered the whole file.`,
    });
  } else if (outcome.stopped === "ast-too-deep") {
    notifications.push({
      level: "warning",
      code: "ast-too-deep",
      path: file.path,
      message: `Code nested deeper than ${limits.maxAstDepth} levels was not analysed. Card-data and secret checks covered the whole file.`,
    });
  }
  return candidates;
}

/**
 * The statement handed to SQL rules, and whether the parser was tried on it. Parsing is skipped
 * for statements over maxSqlLength and once the SQL budget is spent (the budget says so, with
 * counts); rules then see `ast: null` and fall back to tokens.
 */
async function toStatement(
  c: SqlCandidate,
  origin: SqlStatement["origin"],
  options: { dialect: SqlDialect; dialectFallback: boolean; limits: ScanLimits },
  budget: SqlBudget,
): Promise<{ statement: SqlStatement; attempted: boolean }> {
  let result: SqlParseResult | null = null;
  if (c.text.length <= options.limits.maxSqlLength) {
    // Strings in code are often fragments: try other dialects only for whole .sql files, but
    // let `$1` placeholders pick PostgreSQL when the user did not choose a dialect.
    const preferred = options.dialectFallback && origin === "js-string" && /\$[1-9]/.test(c.text) ? "postgresql" : options.dialect;
    result = await parseSql(c.text, preferred, options.dialectFallback && origin === "sql-file", budget.charge);
    if (result === null) budget.unparsedAt(c.start);
  }
  const statement: SqlStatement = {
    text: c.text,
    origin,
    start: c.start,
    end: c.end,
    dialect: result?.ok ? result.dialect : options.dialect,
    ast: result?.ok ? result.ast : null,
    fileOffset: (i) => candidateFileOffset(c, Math.max(0, Math.min(i, c.text.length))),
  };
  return { statement, attempted: result !== null };
}

/** Attack simulations per file: each costs a few parses, so a file with more sinks gets the first ones proven. */
const MAX_PROOFS_PER_FILE = 50;

/**
 * Runs the attack simulator for every report that carries a sink template, while the scan's
 * simulation budget lasts. A proven attack raises the finding's confidence; a sink no payload
 * could change (the value was escaped or parameterised after all) keeps the finding at low
 * confidence, tagged not-proven.
 */
async function attachProofs(file: SourceFile, states: RuleState[], dialect: SqlDialect, limits: ScanLimits, notifications: Notification[]): Promise<void> {
  const budget = new SimulationBudget(limits);
  let simulated = 0;
  for (const state of states) {
    for (const report of state.reports) {
      if (!report.simulate || report.proof) continue;
      if (simulated++ === MAX_PROOFS_PER_FILE) {
        notifications.push({
          level: "note",
          code: "proof-budget",
          path: file.path,
          message: `More than ${MAX_PROOFS_PER_FILE} injection sinks in this file; only the first ${MAX_PROOFS_PER_FILE} were simulated.`,
        });
      }
      if (simulated > MAX_PROOFS_PER_FILE || !budget.start()) continue;
      try {
        const proof = await prove(report.simulate.kind, report.simulate.template, {
          ...report.simulate.options,
          dialect: proofDialect(dialect, report.simulate.options?.dialect),
          charge: budget.charge,
        });
        if (!proof) continue;
        report.proof = proof;
        const proven = proof.verdict === "proven";
        // A flow through an assumption (a library function assumed to keep the data, data an attacker may have stored) is proven only as far as it holds.
        report.confidence = proven ? (report.tags?.some((t) => PROVEN_UNDER_ASSUMPTION.includes(t)) ? "medium" : "high") : "low";
        report.tags = [...(report.tags ?? []), proven ? "proven" : "not-proven"];
      } catch (error) {
        notifications.push({
          level: "warning",
          code: "rule-error",
          ruleId: state.active.rule.id,
          path: file.path,
          message: `The attack simulation for a ${state.active.rule.id} finding failed: ${maskCardNumbers(String((error as Error)?.message ?? error)).slice(0, 200)}`,
        });
      }
    }
  }
  const skipped = budget.notification(file.path);
  if (skipped) notifications.push(skipped);
}

/**
 * The dialect a SQL proof parses in: the sink's client's (a `pg` pool speaks PostgreSQL whatever
 * the scan's default), except that a scan set to MariaDB keeps it for a MySQL client.
 */
function proofDialect(scan: SqlDialect, client: SqlDialect | undefined): SqlDialect {
  if (!client || (client === "mysql" && scan === "mariadb")) return scan;
  return client;
}

function toFindings(file: SourceFile, states: RuleState[], redactions: Redaction[], maxFindingsPerRule: number, sinks: FixTarget[]): Finding[] {
  // Each snippet line looks only at the redactions that touch it (a file can hold thousands).
  const redactionsByLine = new Map<number, LineRedactions>();
  for (const r of redactions) {
    const last = file.lines.lineOf(Math.max(r.start, r.end - 1));
    for (let line = file.lines.lineOf(r.start); line <= last; line++) {
      const entry = redactionsByLine.get(line);
      if (entry) {
        entry.sorted.push(r);
        entry.longest = Math.max(entry.longest, r.end - r.start);
      } else redactionsByLine.set(line, { sorted: [r], longest: r.end - r.start });
    }
  }
  for (const entry of redactionsByLine.values()) entry.sorted.sort((a, b) => a.start - b.start);
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
    const lines: string[] = [];
    for (let line = location.startLine; line <= Math.min(location.endLine, location.startLine + SNIPPET_MAX_LINES - 1); line++) {
      lines.push(maskedLineWindow(file, line, line === location.startLine ? location.startColumn - 1 : 0, redactionsByLine.get(line) ?? NO_REDACTIONS));
    }
    // The fingerprint hashes the masked text: a hash of the raw line would let a card number be
    // brute-forced from its fingerprint plus the six and four digits the snippet shows.
    const fingerprint = counter.next(rule.id, lines[0]!, report.fingerprintKey ?? "");
    const finding: Finding = {
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
      snippet: lines.join("\n"),
      flow: report.flow ?? [],
      fingerprint,
      remediation: rule.meta.remediation,
      ...(report.proof ? { proof: report.proof } : {}),
    };
    findings.push(finding);
    const simulate = report.simulate;
    if (simulate) {
      sinks.push({
        finding,
        file,
        start: report.start,
        end: report.end,
        kind: simulate.kind,
        dialect: simulate.options?.dialect,
        payload: report.proof?.payload,
      });
    }
  }
  return findings;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Characters masked beyond each side of a window, so a card number cut by the window is masked whole. */
const MASK_MARGIN = 128;

/** One line's redactions sorted by start, and the longest one's length, so a window finds its own by binary search. */
interface LineRedactions {
  sorted: Redaction[];
  longest: number;
}

const NO_REDACTIONS: LineRedactions = { sorted: [], longest: 0 };

/** The redactions that overlap [from, to) in file offsets: a long line can hold tens of thousands, and each finding on it has a window. */
function redactionsWithin({ sorted, longest }: LineRedactions, from: number, to: number): Redaction[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < from - longest) lo = mid + 1;
    else hi = mid;
  }
  const out: Redaction[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.start < to; i++) if (sorted[i]!.end > from) out.push(sorted[i]!);
  return out;
}

/**
 * One line of a snippet: masked (card numbers, secrets) and, for long lines, clipped to a window
 * around `column0`. Only the window and a margin are masked, so long minified lines cost little.
 */
function maskedLineWindow(file: SourceFile, line: number, column0: number, redactions: LineRedactions): string {
  const lineStart = file.lines.starts[line - 1]!;
  const text = file.lines.line(line);
  const long = text.length > SNIPPET_MAX_LINE;
  const a = long ? Math.max(0, Math.min(column0 - 80, text.length - SNIPPET_MAX_LINE)) : 0;
  const from = long ? Math.max(0, a - MASK_MARGIN) : 0;
  const to = long ? Math.min(text.length, a + SNIPPET_MAX_LINE + MASK_MARGIN) : text.length;
  const local = redactionsWithin(redactions, lineStart + from, lineStart + to).map((r) => ({
    start: Math.max(0, r.start - lineStart - from),
    end: Math.min(to, r.end - lineStart) - from,
    kind: r.kind,
  }));
  const masked = maskBeforeCut(maskRanges(text.slice(from, to), local), SNIPPET_MAX_LINE);
  if (!long) return masked;
  const cut = masked.slice(a - from, a - from + SNIPPET_MAX_LINE);
  return (a > 0 ? "…" : "") + cut + (a + SNIPPET_MAX_LINE < text.length ? "…" : "");
}
