/**
 * Proven fixes (README "Proven fixes"): for each injection finding, a patch made by
 * transforming the parsed source (one FixKind per injection kind), then verified the way the
 * finding was proven. The patch is applied in memory, the file re-parsed, the dataflow and the
 * attack simulator re-run on the patched project with the finding's rule alone, and the patched
 * sink read back and compared with the original under benign input and under the attack:
 *
 *   proven     the patched file parses, the sink no longer receives attacker data as text (or no
 *              payload changes it), and benign input gives the original structure;
 *   plausible  it parses, but the proof could not be re-run (a budget, an unreadable original);
 *   rejected   any check failed; the record says which, so nobody applies it by mistake.
 *
 * A view template is not code: its fix is judged by the attack simulator on the view's markup
 * alone (view-templates.ts). Patches from elsewhere (the Worker's AI proposals) go through the
 * same verifyPatch.
 */
import type { ActiveRule } from "../analyze-file";
import { analyzeFile } from "../analyze-file";
import { parseJs, type JsNode, type JsParseResult } from "../parse/js";
import { createSourceFile, locationOf, type SourceFile } from "../source";
import { shareProject } from "../taint/index";
import type { ModuleResolver, ProjectModule } from "../taint/interpreter";
import type { Finding, Fix, Location, Notification, ScanLimits, SimulatedKind, SqlDialect } from "../types";
import type { FixKind, SinkSite } from "./fix-kind";
import { applyEdits, mapOffset, replacementsOf, unifiedDiff, type Edit } from "./patch";
import { HTML_FIX } from "./html";
import { NOSQL_FIX } from "./nosql";
import { PATH_FIX } from "./path";
import { SHELL_FIX } from "./shell";
import { childNodes, findNode } from "./sink-text";
import { SQL_FIX } from "./sql";
import { templatePatch, verifyTemplatePatch } from "./view-templates";
import { URL_FIX } from "./url";

/** The kinds with a fix generator, by the simulator kind of their proofs. */
export const FIX_KINDS: Partial<Record<SimulatedKind, FixKind>> = {
  sql: SQL_FIX,
  html: HTML_FIX,
  shell: SHELL_FIX,
  path: PATH_FIX,
  nosql: NOSQL_FIX,
  url: URL_FIX,
};

/** Injection findings per scan that get a fix proposed and verified; each verification re-runs a project's dataflow. */
export const MAX_FIXES_PER_SCAN = 25;

/** An injection finding whose sink may be fixed: where its sink is and what the simulator proved there. */
export interface FixTarget {
  finding: Finding;
  file: SourceFile;
  /** The sink's character range in the file. */
  start: number;
  end: number;
  kind: SimulatedKind;
  dialect?: SqlDialect;
  /** The payload the finding's proof used. */
  payload?: string;
}

/** The project a target's file was analysed in, for re-running it patched. */
export interface FixProject {
  files: readonly SourceFile[];
  parses: ReadonlyArray<JsParseResult | undefined>;
  resolve: ModuleResolver;
  rules: readonly ActiveRule[];
  dialect: SqlDialect;
  /** Limits for the re-runs: one object for the whole scan, so the re-runs share one dataflow budget. */
  limits: ScanLimits;
}

/** Why a finding past the cap has no fix. */
const BUDGET_SPENT = `the scan's first ${MAX_FIXES_PER_SCAN} injection findings used its fix budget`;

/** Counts fixes over a scan and says once when the cap was reached. */
export class FixBudget {
  private used = 0;
  private noted = false;

  constructor(private readonly notifications: Notification[]) {}

  take(): boolean {
    if (this.used < MAX_FIXES_PER_SCAN) {
      this.used++;
      return true;
    }
    if (!this.noted) {
      this.noted = true;
      this.notifications.push({
        level: "note",
        code: "fix-budget",
        message: `Fixes are proposed for the first ${MAX_FIXES_PER_SCAN} injection findings of a scan; later ones have none.`,
      });
    }
    return false;
  }
}

/** Proposes and verifies a fix for each target; sets `finding.fix`, or `finding.fixUnavailable` with the reason. */
export async function proposeFixes(targets: readonly FixTarget[], project: FixProject, budget: FixBudget): Promise<void> {
  const patches: ProposedPatch[] = [];
  for (const target of targets) {
    const kind = FIX_KINDS[target.kind];
    if (!kind) {
      target.finding.fixUnavailable = `no mechanical fix for ${target.kind} injection yet`;
      continue;
    }
    const index = project.files.indexOf(target.file);
    const parsed = project.parses[index];
    if (target.file.language === "text") {
      const patch = target.kind === "html" ? templatePatch(target.file, target.start, target.end) : { reason: "no mechanical fix for this sink in a template" };
      if ("reason" in patch) target.finding.fixUnavailable = patch.reason;
      else if (!budget.take()) target.finding.fixUnavailable = BUDGET_SPENT;
      else {
        try {
          const fix = await verifyTemplatePatch(target.file, patch.edit, patch.syntax, target.finding.proof);
          if ("reason" in fix) target.finding.fixUnavailable = fix.reason;
          else target.finding.fix = fix;
        } catch (error) {
          target.finding.fixUnavailable = `the template fix could not be checked: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
        }
      }
      continue;
    }
    if (!parsed?.ok) continue;
    const original = sinkSite(kind, parsed.program, target.file.text, target.start, target.end, target);
    if (!original) {
      target.finding.fixUnavailable = `no mechanical fix for a ${target.kind} sink written this way (${sinkShape(parsed.program, target)})`;
      continue;
    }
    let patch: ReturnType<FixKind["patch"]>;
    try {
      patch = kind.patch(original);
    } catch (error) {
      target.finding.fixUnavailable = `the fix generator failed on this sink: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
      continue;
    }
    if ("reason" in patch) {
      target.finding.fixUnavailable = patch.reason;
      continue;
    }
    const longest = Math.max(...patch.edits.map((e) => longestLine(target.file, e)));
    if (longest > MAX_FIX_LINE) {
      target.finding.fixUnavailable = `the sink is on a line of ${longest} characters (generated or minified code?); fix the source it was built from`;
      continue;
    }
    if (!budget.take()) {
      target.finding.fixUnavailable = BUDGET_SPENT;
      continue;
    }
    patches.push({ target, edits: sortEdits(patch.edits), about: { origin: "mechanical", description: patch.description } });
  }
  for (const { patch, fix } of await verifyTogether(patches, project)) patch.target.finding.fix = fix;
}

/** What the code at a sink is, in words: "an assignment", "a JSX attribute"… */
function sinkShape(program: JsNode, target: FixTarget): string {
  const node = findNode(program, target.start, target.end, null)?.node;
  const type =
    node?.type
      .replace(/Expression$|Statement$/, "")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase() ?? "code";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Longest line a fix changes: a diff shows changed lines whole, so a patch to minified code is not offered. */
const MAX_FIX_LINE = 2_000;

function longestLine(file: SourceFile, edit: Edit): number {
  let longest = 0;
  for (let line = file.lines.lineOf(edit.start); line <= file.lines.lineOf(edit.end); line++) longest = Math.max(longest, file.lines.line(line).length);
  return longest;
}

function sinkSite(kind: FixKind, program: JsNode, source: string, start: number, end: number, target: FixTarget): SinkSite | null {
  const found = findNode(program, start, end, kind.sinkTypes);
  return found ? site(found.node, found.ancestors, source, target) : null;
}

function site(node: JsNode, ancestors: readonly JsNode[], source: string, target: FixTarget): SinkSite {
  return { node, ancestors, source, typescript: target.file.language === "typescript", ...(target.dialect ? { dialect: target.dialect } : {}) };
}

/** The callee as written (`pool.query`), or a tagged template's tag: what names a sink in a rewritten line. */
function calleeText(site: SinkSite): string {
  const callee: JsNode | undefined = site.node.callee ?? site.node.tag;
  return callee ? site.source.slice(callee.start, callee.end) : "";
}

/** Nesting a search follows: the parser bounds depth only by its own stack. */
const MAX_SEARCH_DEPTH = 2_000;

/** The first sink node in [start, end) of the patched text whose callee reads like the original's (`pool.query`, `prisma.$queryRaw…`). */
function sinkWithin(kind: FixKind, program: JsNode, source: string, start: number, end: number, callee: string, target: FixTarget): SinkSite | null {
  const receiver = callee.includes(".") ? callee.slice(0, callee.lastIndexOf(".") + 1) : callee;
  let found: SinkSite | null = null;
  const path: JsNode[] = [];
  const visit = (node: JsNode, depth: number): void => {
    if (found || depth > MAX_SEARCH_DEPTH || node.end <= start || node.start >= end) return;
    if (kind.sinkTypes.has(node.type) && node.start >= start && node.end <= end) {
      const c: JsNode | undefined = node.callee ?? node.tag;
      if (c && source.slice(c.start, c.end).startsWith(receiver)) {
        found = site(node, [...path], source, target);
        return;
      }
    }
    path.push(node);
    for (const child of childNodes(node)) visit(child, depth + 1);
    path.pop();
  };
  visit(program, 0);
  return found;
}

/** A patch for one target: its edits (sorted, in the original text's offsets) and what it is. */
interface ProposedPatch {
  target: FixTarget;
  edits: Edit[];
  about: Pick<Fix, "origin" | "description">;
}

function sortEdits(edits: readonly Edit[]): Edit[] {
  return [...edits].sort((a, b) => a.start - b.start);
}

/** The project re-run with some files patched: each patched file's text, parse and edits, and the findings the re-run gave. */
interface Rerun {
  /** Per original file: the patched file (made once: its line index serves the re-run and the verdicts), its parse and its edits. */
  files: Map<SourceFile, { file: SourceFile; parsed: JsParseResult; edits: Edit[] }>;
  /** Findings per original file; undefined when the dataflow budget ran out; an Error when the re-run failed. */
  findings: Map<SourceFile, Finding[]> | undefined | Error;
}

/**
 * Verifies a scan's mechanical patches with one re-run of their project: the patches apply
 * together (each only rewrites its own sink call and the text it builds), so a sink still
 * attacked after the re-run is that sink's patch's failure. Patches whose edits overlap another's,
 * or whose file then does not parse, are verified alone.
 */
async function verifyTogether(patches: readonly ProposedPatch[], project: FixProject): Promise<Array<{ patch: ProposedPatch; fix: Fix }>> {
  const together: ProposedPatch[] = [];
  const alone: ProposedPatch[] = [];
  const taken = new Map<SourceFile, Edit[]>();
  for (const p of patches) {
    const edits = taken.get(p.target.file) ?? [];
    // An edit two patches share (a helper both add after the imports) is made once.
    const same = (a: Edit, b: Edit) => a.start === b.start && a.end === b.end && a.text === b.text;
    const fresh = p.edits.filter((e) => !edits.some((o) => same(o, e)));
    if (fresh.some((e) => edits.some((o) => e.start === o.start || (e.start < o.end && o.start < e.end)))) alone.push(p);
    else {
      together.push(p);
      taken.set(p.target.file, [...edits, ...fresh]);
    }
  }
  const out: Array<{ patch: ProposedPatch; fix: Fix }> = [];
  if (together.length > 0) {
    const rerun = await rerunPatched(project, taken, new Set(together.map((p) => p.target.finding.ruleId)));
    for (const p of together) {
      if (rerun.files.get(p.target.file)?.parsed.ok) out.push({ patch: p, fix: await judge(p, rerun, project) });
      else alone.push(p);
    }
  }
  for (const p of alone) out.push({ patch: p, fix: await verifyPatch(p.target, p.edits, p.about, project) });
  return out;
}

/**
 * Applies one patch to a target's file in memory and judges it (see the module header). Never
 * throws: an error in the re-run makes the fix plausible at most, with the error in its evidence.
 */
export async function verifyPatch(target: FixTarget, edits: readonly Edit[], about: Pick<Fix, "origin" | "description">, project: FixProject): Promise<Fix> {
  const patch = { target, edits: sortEdits(edits), about };
  const rerun = await rerunPatched(project, new Map([[target.file, patch.edits]]), new Set([target.finding.ruleId]));
  return judge(patch, rerun, project);
}

/**
 * Re-runs the given rules on the project with the edits applied (parsing each patched file),
 * reading the findings of the patched files. Never throws.
 */
async function rerunPatched(project: FixProject, edits: ReadonlyMap<SourceFile, Edit[]>, ruleIds: ReadonlySet<string>): Promise<Rerun> {
  const files: Rerun["files"] = new Map();
  for (const [file, list] of edits) {
    const sorted = sortEdits(list);
    const patched = createSourceFile(file.path, applyEdits(file.text, sorted));
    files.set(file, { file: patched, parsed: parseJs(patched), edits: sorted });
  }
  try {
    const modules: ProjectModule[] = [];
    project.files.forEach((f, i) => {
      const patched = files.get(f);
      const parse = patched ? patched.parsed : project.parses[i];
      if (parse?.ok) modules.push({ file: patched ? patched.file : f, program: parse.program });
    });
    shareProject(modules, project.resolve);
    const rules = project.rules.filter((r) => ruleIds.has(r.rule.id));
    const findings = new Map<SourceFile, Finding[]>();
    for (const [original, { file, parsed }] of files) {
      if (!parsed.ok) continue;
      const outcome = await analyzeFile(file, rules, { dialect: project.dialect, dialectFallback: false, limits: project.limits, parsed });
      if (outcome.notifications.some((n) => n.code === "detector-budget" && /dataflow/i.test(n.message))) return { files, findings: undefined };
      findings.set(original, outcome.findings);
    }
    return { files, findings };
  } catch (error) {
    return { files, findings: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** The verdict on one patch, from a re-run of its project with it (and maybe others) applied. */
async function judge({ target, edits, about }: ProposedPatch, rerun: Rerun, project: FixProject): Promise<Fix> {
  const file = target.file;
  const own = applyEdits(file.text, edits);
  const record = (verdict: Fix["verdict"], evidence: string, check?: Fix["check"]): Fix => ({
    verdict,
    ...about,
    evidence,
    diff: unifiedDiff(file.path, file.text, own, edits),
    changes: [{ path: file.path, replacements: replacementsOf(file.lines, edits) }],
    ...(check ? { check } : {}),
  });
  const patched = rerun.files.get(file)!;
  if (!patched.parsed.ok) return record("rejected", `The patched file does not parse: ${patched.parsed.message} (line ${patched.parsed.line}).`);
  if (rerun.findings instanceof Error) {
    return record("plausible", `The patched file parses, but re-running the analysis on it failed: ${rerun.findings.message.slice(0, 200)}.`);
  }
  if (rerun.findings === undefined)
    return record("plausible", "The patched file parses, but the dataflow budget ran out before the analysis could be re-run on it.");
  const kind = FIX_KINDS[target.kind];
  const originalParse = project.parses[project.files.indexOf(file)];
  // Where the sink is in the patched text: moved by the edits before it, or, when an edit rewrote
  // it (a patch that replaces whole lines), somewhere in what that edit wrote. An edit that starts
  // at the sink and stops inside it (`exec` → `execFile`) leaves the sink where it was.
  const all = patched.edits;
  let start = mapOffset(target.start, all);
  let end = mapOffset(target.end, all, "end");
  const rewritten = all.filter((e) => (e.start < target.start && e.end > target.start) || (e.start === target.start && e.end >= target.end && e.end > e.start));
  for (const e of rewritten) {
    const at = mapOffset(e.end, all) - e.text.length;
    start = Math.min(start, at);
    end = Math.max(end, at + e.text.length);
  }
  const sink = locationOf(patched.file, start, end);
  const remaining = rerun.findings.get(file)?.find((f) => f.ruleId === target.finding.ruleId && overlaps(f.location, sink)) ?? null;
  if (remaining?.proof?.verdict === "proven")
    return record("rejected", `Re-running the attack on the patched code still succeeds: ${remaining.proof.evidence}`);
  const flow = remaining
    ? "The dataflow still reaches the sink, but no payload changes what it receives."
    : "Re-running the dataflow on the patched code, no attacker data reaches the sink as text any more.";
  const original = kind && originalParse?.ok ? sinkSite(kind, originalParse.program, file.text, target.start, target.end, target) : null;
  const site =
    kind && original
      ? rewritten.length > 0
        ? sinkWithin(kind, patched.parsed.program, patched.file.text, start, end, calleeText(original), target)
        : sinkSite(kind, patched.parsed.program, patched.file.text, start, end, target)
      : null;
  if (!kind || !original || !site) return record("plausible", `${flow} The patched sink could not be read back to compare it with the original.`);
  let same: Awaited<ReturnType<FixKind["equivalence"]>>;
  try {
    same = await kind.equivalence(original, site, target.payload);
  } catch (error) {
    same = { outcome: "unknown", evidence: `the comparison failed: ${String((error as Error)?.message ?? error).slice(0, 200)}` };
  }
  if (same.outcome !== "same") {
    return same.outcome === "different"
      ? record("rejected", `The patch changes what the code does: ${same.evidence}.`)
      : record("plausible", `${flow} It could not be checked that benign input still works the same: ${same.evidence}.`);
  }
  return record("proven", `${flow} ${same.evidence}`, same.check);
}

function overlaps(a: Location, b: Location): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);
  return before(a.startLine, a.startColumn, b.endLine, b.endColumn) && before(b.startLine, b.startColumn, a.endLine, a.endColumn);
}
