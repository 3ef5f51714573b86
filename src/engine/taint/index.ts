/**
 * The dataflow (taint) engine's entry point for rules. The twelve injection rules share one
 * analysis per project: the engine registers the files it parsed together (shareProject), the
 * first rule to see any of their Program nodes runs the analysis over all of them, the hits are
 * kept per file in a WeakMap keyed by each Program node, and each rule reports the hits of its
 * own class whose sink is in its file. A file nobody registered is a project of one. Budget
 * notices are given once per file, by whichever rule read the analysis first.
 *
 * @example
 *   // in a rule's create(ctx):
 *   return taintListeners(ctx, SQL);
 */
import type { JsNode } from "../parse/js";
import type { Report, RuleContext, RuleListeners } from "../rule";
import { locationOf, type SourceFile } from "../source";
import type { FlowStep, ScanLimits } from "../types";
import { describeCardFlags } from "../js/card-data-names";
import { Interpreter, type CardHit, type CardSink, type KeyUse, type ModuleResolver, type ProjectModule, type TaintHit } from "./interpreter";
import { KIND_INFO, NOSQL, PATH, REDIRECT, SCHEME_SAFE } from "./kinds";
import { nosqlTemplate, textTemplate } from "./template";
import { CARD_DATA, F_NORMALIZED, type Step } from "./value";

export type { CardHit, KeyUse, TaintHit } from "./interpreter";

export interface TaintAnalysis {
  /** Injections whose sink is in this file. */
  hits: TaintHit[];
  /** Literals in this file used as keys or credentials (here or in another file). */
  keys: KeyUse[];
  /** Card data reaching a logger, a response or a database write in this file. */
  cards: CardHit[];
  /** Budget and depth notices, to give once per file. */
  notices: string[];
  noticed: boolean;
  /** An unexpected error in the analysis; the hits before it are kept. */
  failure: Error | null;
}

/** The tag of a finding whose flow passed through a library function the engine assumed keeps the data. */
export const ASSUMED_PASSTHROUGH = "assumed-passthrough";
/** The tag of a finding whose data was read back from the application's database (second-order). */
export const STORED_DATA = "stored-data";
/** The tag of a finding whose source the model only presumes to be an attacker's (an archive opened from a path the code does not show). */
export const PRESUMED_SOURCE = "presumed-source";
/** Tags of findings whose proof holds only under an assumption: proven, they are medium confidence, not high. */
export const PROVEN_UNDER_ASSUMPTION: readonly string[] = [ASSUMED_PASSTHROUGH, STORED_DATA, PRESUMED_SOURCE];

interface Project {
  modules: ProjectModule[];
  resolve: ModuleResolver;
  /** The scan's text files that are not code: view templates the project renders. */
  assets: readonly SourceFile[];
}

const analyses = new WeakMap<JsNode, TaintAnalysis>();
// scan() hands every file of a scan the same limits object, so it keys what is left of the scan's dataflow steps.
const stepsLeft = new WeakMap<ScanLimits, { steps: number }>();
const projects = new WeakMap<JsNode, Project>();
const NO_MODULES: ModuleResolver = () => null;
/**
 * Hits whose sink is in a file that is not code (a view template a render call writes request
 * data into unescaped), by that file, each sink once. The scan analyses such files after every
 * code group (index.ts), so their hits are here when their rules run.
 */
const assetHits = new WeakMap<SourceFile, { hits: TaintHit[]; seen: Set<string> }>();

/**
 * Declares parsed files one project: the first analysis of any of them covers them all, imports
 * between them included; `assets` are the scan's non-code text files its models may read.
 */
export function shareProject(modules: ProjectModule[], resolve: ModuleResolver, assets: readonly SourceFile[] = []): void {
  const project: Project = { modules, resolve, assets };
  for (const m of modules) projects.set(m.program, project);
}

/** The files analysed together with a parsed file (those that import each other), itself included. */
export function projectFiles(program: JsNode, file: SourceFile): readonly SourceFile[] {
  return projects.get(program)?.modules.map((m) => m.file) ?? [file];
}

/** Runs (or reuses) the taint analysis of a parsed file's project; returns this file's part. Never throws. */
export function analyzeTaint(program: JsNode, file: SourceFile, limits: ScanLimits): TaintAnalysis {
  let analysis = analyses.get(program);
  if (!analysis) {
    const project = projects.get(program) ?? { modules: [{ file, program }], resolve: NO_MODULES, assets: [] };
    let left = stepsLeft.get(limits);
    if (!left) stepsLeft.set(limits, (left = { steps: limits.maxScanDataflowSteps }));
    const interpreter = new Interpreter(project.modules, project.resolve, limits, left.steps, project.assets);
    if (left.steps > 0) interpreter.run();
    else
      interpreter.notices.push({
        file,
        message: `Dataflow analysis skipped: the scan's dataflow budget (${limits.maxScanDataflowSteps} steps) was spent on earlier files.`,
      });
    left.steps -= interpreter.stepsTaken;
    const byFile = new Map<SourceFile, TaintAnalysis>();
    for (const m of project.modules) {
      const part: TaintAnalysis = { hits: [], keys: [], cards: [], notices: [], noticed: false, failure: null };
      byFile.set(m.file, part);
      analyses.set(m.program, part);
    }
    for (const h of interpreter.hits) {
      const part = byFile.get(h.file);
      if (part) part.hits.push(h);
      else addAssetHit(h);
    }
    for (const k of interpreter.keyUses) byFile.get(k.literal.file)!.keys.push(k);
    for (const c of interpreter.cardHits) byFile.get(c.file)!.cards.push(c);
    for (const n of interpreter.notices) byFile.get(n.file)!.notices.push(n.message);
    if (interpreter.failure) byFile.get(interpreter.failedFile ?? file)!.failure = interpreter.failure;
    analysis = analyses.get(program)!;
  }
  return analysis;
}

function addAssetHit(h: TaintHit): void {
  let entry = assetHits.get(h.file);
  if (!entry) assetHits.set(h.file, (entry = { hits: [], seen: new Set() }));
  const key = `${h.kind}:${h.start}:${h.end}`;
  if (entry.seen.has(key)) return;
  entry.seen.add(key);
  entry.hits.push(h);
}

/** The finding report for a hit: message, source → sink flow, confidence, and the simulator's template. */
export function reportOf(hit: TaintHit): Report {
  const { spec, taint } = hit;
  const origin = taint.origin;
  const flow: FlowStep[] = [
    {
      location: locationOf(origin.file, origin.start, origin.end),
      message: `${origin.label}: ${origin.what}${origin.local ? " (the operator's own input)" : origin.stored ? " (attacker-controlled if an attacker stored it)" : " (attacker-controlled)"}`,
    },
  ];
  const steps: Step[] = [];
  let assumed = false;
  for (let s = taint.steps; s; s = s.prev) {
    steps.push(s);
    assumed ||= s.assumed;
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    flow.push({ location: locationOf(s.file, s.start, s.end), message: s.message });
  }
  flow.push({ location: locationOf(hit.file, hit.start, hit.end), message: `${spec.label} receives it ${spec.what}` });
  const proof = KIND_INFO.get(hit.kind)?.proof;
  const report: Report = {
    start: hit.start,
    end: hit.end,
    message: `${taint.label} (${origin.what}${taint.label === origin.label ? "" : `, from ${origin.label}`}) flows into ${spec.label} ${spec.what}.`,
    flow,
    confidence: origin.local ? "low" : hit.kind === REDIRECT && /^request (URL|path)$/.test(origin.what) ? "medium" : spec.confidence,
    tags: ["dataflow", ...(assumed ? [ASSUMED_PASSTHROUGH] : []), ...(origin.stored ? [STORED_DATA] : []), ...(origin.confidence ? [PRESUMED_SOURCE] : [])],
    fingerprintKey: taint.label,
  };
  if (origin.local) report.severity = "medium";
  if (origin.confidence && report.confidence !== "low") report.confidence = origin.confidence;
  if (assumed) report.confidence = "low";
  // Second-order: the proof shows the sink would run stored text as code, not that an attacker can store it.
  if (origin.stored) {
    report.severity = "medium";
    report.confidence = "low";
  }
  if (spec.proof) {
    report.proof = spec.proof;
    report.tags!.push("proven");
  } else if (spec.mode === "script-url") {
    // A link or navigation: the proof parses the URL, and only a scheme that runs script counts.
    report.simulate = { kind: "url", template: textTemplate(hit.value, SCHEME_SAFE), options: { scriptUrl: true } };
  } else if (proof && spec.mode !== "any") {
    if (hit.kind !== NOSQL) {
      report.simulate = { kind: proof, template: textTemplate(hit.value, hit.kind, spec.prefix) };
      if (spec.dialect) report.simulate.options = { dialect: spec.dialect };
      // path.join/resolve/normalize hand the sink a lexically normalised path: resolve it that way.
      if (hit.kind === PATH && hit.value.flags & F_NORMALIZED) report.simulate.options = { lexicalPaths: true };
    } else if (spec.mode !== "nosql") report.simulate = { kind: proof, template: textTemplate(hit.value, NOSQL, spec.prefix), options: { serverJs: true } };
    else {
      const { template, serverJs } = nosqlTemplate(hit.value);
      report.simulate = { kind: proof, template, ...(serverJs ? { options: { serverJs } } : {}) };
    }
  }
  return report;
}

/** Listeners that run the shared analysis on the Program node and report this kind's hits at the end. */
export function taintListeners(ctx: RuleContext, kind: number): RuleListeners {
  let analysis: TaintAnalysis | null = null;
  return {
    // A file that is not code holds sinks only as a view template some project renders.
    text() {
      if (ctx.file.language !== "text") return;
      for (const hit of assetHits.get(ctx.file)?.hits ?? []) if (hit.kind === kind) ctx.report(reportOf(hit));
    },
    js: {
      Program(node) {
        const shared = analyzeTaint(node, ctx.file, ctx.limits);
        analysis = shared;
        if (!shared.noticed) {
          shared.noticed = true;
          for (const n of shared.notices) ctx.notify("detector-budget", n);
          // The first rule to read a failed analysis reports the failure (as its rule error); the others report the hits found before it.
          if (shared.failure) {
            analysis = null;
            throw shared.failure;
          }
        }
      },
    },
    end() {
      if (!analysis) return;
      for (const hit of analysis.hits) if (hit.kind === kind) ctx.report(reportOf(hit));
    },
  };
}

/**
 * The dataflow half of a card-data rule: on the Program node it reads the card data the project's
 * analysis followed to this file's sinks of one kind; `report` then reports those the rule's
 * name-based check did not already report at the same call.
 */
export function cardFlows(
  ctx: RuleContext,
  sink: CardSink,
  only = CARD_DATA,
): {
  Program: (node: JsNode) => void;
  report: (named: ReadonlySet<number>, describe: (kinds: string, sad: boolean) => Pick<Report, "message" | "severity">) => void;
} {
  let hits: CardHit[] = [];
  return {
    Program(node) {
      hits = analyzeTaint(node, ctx.file, ctx.limits).cards.filter((c) => c.sink === sink && c.kinds & only);
    },
    report(named, describe) {
      for (const hit of hits) {
        if (named.has(hit.start)) continue;
        const { kinds, sad } = describeCardFlags(hit.kinds & only);
        ctx.report({ start: hit.start, end: hit.end, ...describe(kinds, sad), tags: ["dataflow"], fingerprintKey: kinds });
      }
    },
  };
}
