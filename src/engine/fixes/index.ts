/**
 * Proven fixes (DESIGN.md "Proven fixes"): for each injection finding, a patch made by
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
 * Patches from elsewhere (the Worker's AI proposals) go through the same verifyPatch.
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
import { NOSQL_FIX } from "./nosql";
import { PATH_FIX } from "./path";
import { SHELL_FIX } from "./shell";
import { findNode } from "./sink-text";
import { SQL_FIX } from "./sql";
import { URL_FIX } from "./url";

/** The kinds with a fix generator, by the simulator kind of their proofs. */
export const FIX_KINDS: Partial<Record<SimulatedKind, FixKind>> = {
  sql: SQL_FIX,
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
  for (const target of targets) {
    const kind = FIX_KINDS[target.kind];
    if (!kind) {
      target.finding.fixUnavailable = `no mechanical fix for ${target.kind} injection yet`;
      continue;
    }
    const index = project.files.indexOf(target.file);
    const parsed = project.parses[index];
    if (!parsed?.ok) continue;
    const original = sinkSite(kind, parsed.program, target.file.text, target.start, target.end, target.dialect);
    if (!original) {
      target.finding.fixUnavailable = "the sink could not be found in the parsed file";
      continue;
    }
    const patch = kind.patch(original);
    if ("reason" in patch) {
      target.finding.fixUnavailable = patch.reason;
      continue;
    }
    const longest = Math.max(...patch.edits.map((e) => longestLine(target.file, e)));
    if (longest > MAX_FIX_LINE) {
      target.finding.fixUnavailable = `the sink is on a line of ${longest} characters (generated or minified code?); fix the source it was built from`;
      continue;
    }
    if (!budget.take()) return;
    target.finding.fix = await verifyPatch(target, patch.edits, { origin: "mechanical", description: patch.description }, project);
  }
}

/** Longest line a fix changes: a diff shows changed lines whole, so a patch to minified code is not offered. */
const MAX_FIX_LINE = 2_000;

function longestLine(file: SourceFile, edit: Edit): number {
  let longest = 0;
  for (let line = file.lines.lineOf(edit.start); line <= file.lines.lineOf(edit.end); line++) longest = Math.max(longest, file.lines.line(line).length);
  return longest;
}

function sinkSite(kind: FixKind, program: JsNode, source: string, start: number, end: number, dialect: SqlDialect | undefined): SinkSite | null {
  const found = findNode(program, start, end, kind.sinkTypes);
  return found ? { node: found.node, ancestors: found.ancestors, source, ...(dialect ? { dialect } : {}) } : null;
}

/**
 * Applies a patch to a target's file in memory and judges it (see the module header). Never
 * throws: an error in the re-run makes the fix plausible at most, with the error in its evidence.
 */
export async function verifyPatch(target: FixTarget, edits: readonly Edit[], about: Pick<Fix, "origin" | "description">, project: FixProject): Promise<Fix> {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const file = target.file;
  const text = applyEdits(file.text, sorted);
  const record = (verdict: Fix["verdict"], evidence: string, check?: Fix["check"]): Fix => ({
    verdict,
    ...about,
    evidence,
    diff: unifiedDiff(file.path, file.text, text, sorted),
    changes: [{ path: file.path, replacements: replacementsOf(file.lines, sorted) }],
    ...(check ? { check } : {}),
  });
  const patchedFile = createSourceFile(file.path, text);
  const parsed = parseJs(patchedFile);
  if (!parsed.ok) return record("rejected", `The patched file does not parse: ${parsed.message} (line ${parsed.line}).`);
  const kind = FIX_KINDS[target.kind];
  const index = project.files.indexOf(file);
  const originalParse = project.parses[index];
  const start = mapOffset(target.start, sorted);
  const end = mapOffset(target.end, sorted, "end");
  const original = kind && originalParse?.ok ? sinkSite(kind, originalParse.program, file.text, target.start, target.end, target.dialect) : null;
  const patched = kind ? sinkSite(kind, parsed.program, text, start, end, target.dialect) : null;

  let rerun: Finding | null | undefined;
  try {
    rerun = await rerunAtSink(project, index, patchedFile, parsed, target, locationOf(patchedFile, start, end));
  } catch (error) {
    return record(
      "plausible",
      `The patched file parses, but re-running the analysis on it failed: ${String((error as Error)?.message ?? error).slice(0, 200)}.`,
    );
  }
  if (rerun === undefined) return record("plausible", "The patched file parses, but the dataflow budget ran out before the analysis could be re-run on it.");
  if (rerun?.proof?.verdict === "proven") {
    return record("rejected", `Re-running the attack on the patched code still succeeds: ${rerun.proof.evidence}`);
  }
  const flow = rerun
    ? "The dataflow still reaches the sink, but no payload changes what it receives."
    : "Re-running the dataflow on the patched code, no attacker data reaches the sink as text any more.";
  if (!kind || !original || !patched) return record("plausible", `${flow} The patched sink could not be read back to compare it with the original.`);
  const same = await kind.equivalence(original, patched, target.payload);
  if (same.outcome !== "same") {
    return same.outcome === "different"
      ? record("rejected", `The patch changes what the code does: ${same.evidence}.`)
      : record("plausible", `${flow} It could not be checked that benign input still works the same: ${same.evidence}.`);
  }
  return record("proven", `${flow} ${same.evidence}`, same.check);
}

/**
 * Re-runs the target's rule on the patched file within its project: the finding at the patched
 * sink (null when there is none), or undefined when the dataflow budget ran out.
 */
async function rerunAtSink(
  project: FixProject,
  index: number,
  patchedFile: SourceFile,
  parsed: JsParseResult & { ok: true },
  target: FixTarget,
  sink: Location,
): Promise<Finding | null | undefined> {
  const modules: ProjectModule[] = [];
  project.files.forEach((f, i) => {
    const p = i === index ? parsed : project.parses[i];
    if (p?.ok) modules.push({ file: i === index ? patchedFile : f, program: p.program });
  });
  shareProject(modules, project.resolve);
  const rule = project.rules.filter((r) => r.rule.id === target.finding.ruleId);
  const outcome = await analyzeFile(patchedFile, rule, { dialect: project.dialect, dialectFallback: false, limits: project.limits, parsed });
  if (outcome.notifications.some((n) => n.code === "detector-budget" && /dataflow/i.test(n.message))) return undefined;
  return outcome.findings.find((f) => overlaps(f.location, sink)) ?? null;
}

function overlaps(a: Location, b: Location): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);
  return before(a.startLine, a.startColumn, b.endLine, b.endColumn) && before(b.startLine, b.startColumn, a.endLine, a.endColumn);
}
