/**
 * Whether a constant regular expression can be made to backtrack catastrophically, proven: the
 * automaton analysis (redos/ambiguity.ts) predicts the growth and gives a witness, the witness
 * becomes an attack string (prefix + pump × n + a suffix that forces the match to fail), and the
 * step-counting matcher (redos/matcher.ts) measures it at two pump counts. Only a measured growth
 * that fits the prediction is a risk; everything else (a suffix that cannot force failure, a
 * counted repetition that bounds the pump, an approximation of a lookaround) is not. Results are
 * cached per pattern text and flags: the same validator regex recurs across files and scans.
 */
import { maskBeforeCut } from "../report/output-boundary";
import type { Proof } from "../types";
import { ENGINE_VERSION } from "../version";
import { analyseAmbiguity, type Witness } from "./ambiguity";
import { countSteps, type MatchRun } from "./matcher";
import { parseRegex, type ParsedRegex, type RegexNode } from "./syntax";

export interface Measurement {
  pumps: number;
  length: number;
  steps: number;
  /** The step budget ran out: `steps` is a lower bound. */
  exhausted: boolean;
}

export interface RegexRisk {
  growth: "exponential" | "polynomial";
  /** For polynomial growth: steps grow as length^degree. */
  degree?: number;
  witness: Witness;
  suffix: string;
  /** The smaller and the larger measured attack. */
  measured: [Measurement, Measurement];
}

/** Steps one measured run may take. */
const RUN_BUDGET = 300_000;
/** Steps all the runs for one pattern may take together (~0.3 s): a file of hostile patterns costs a bounded time each. */
const PATTERN_BUDGET = 2_000_000;
/** The smaller measurement is taken where a run costs at least this many steps… */
const MEASURE_FROM = 4_000;
/** …or at this many pumps (a bounded repetition stops the growth before). */
const MAX_PUMPS = 256;
/** Counted repetitions up to this are measured past their count; larger ones are as good as unbounded. */
const MAX_COUNTED = 1_000;
/** Characters of a JSON body field an attacker can send through a default body-parser limit (100 kB). */
const REALISTIC_LENGTH = 50_000;
const SUFFIXES = ["!", "\u0000", "\n", " ", "_", "a", "0", "-", "@", ".", "/", "A", '"', "'", "=", ":", ",", ";", ")", "<", "x", "\u2028", ""];
const CACHE_LIMIT = 2_000;
const cache = new Map<string, RegexRisk | null>();

/** The proven backtracking risk of a pattern, or null (safe, not understood, or not confirmed by measurement). */
export function regexRisk(pattern: string, flags: string): RegexRisk | null {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const risk = assess(pattern, flags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, risk);
  return risk;
}

function assess(pattern: string, flags: string): RegexRisk | null {
  const re = parseRegex(pattern, flags);
  if (!re) return null;
  const first = analyseAmbiguity(re);
  if (first.growth === "exponential") {
    const proven = confirm(re, "exponential", 2, first.witness);
    if (proven) return proven;
    const poly = analyseAmbiguity(re, true);
    return poly.growth === "polynomial" ? confirm(re, "polynomial", poly.degree, poly.witness) : null;
  }
  return first.growth === "polynomial" ? confirm(re, "polynomial", first.degree, first.witness) : null;
}

/** The attack string with each pump repeated n times. */
export function attackString(w: Witness, suffix: string, n: number): string {
  return w.prefix + w.pumps.map((p) => p.pump.repeat(n) + p.bridge).join("") + suffix;
}

/** Runs one attack, charging its steps to the pattern's budget (`left`); null once that is spent. */
function measure(re: ParsedRegex, w: Witness, suffix: string, n: number, left: { steps: number }): (MatchRun & { length: number }) | null {
  if (left.steps <= 0) return null;
  const input = attackString(w, suffix, n);
  const run = countSteps(re, input, Math.min(RUN_BUDGET, left.steps));
  left.steps -= run.steps;
  return { ...run, length: input.length };
}

/**
 * Measures the witness: picks the suffix that fails after the most work on a short attack, grows
 * the pump count until the steps dominate the matcher's overhead, then measures a larger attack
 * (4 more pumps for exponential growth, twice the pumps for polynomial) and keeps the risk when
 * the growth between the two is what the analysis predicts: at least ×2 per two pumps, or ×0.6·2^degree.
 */
function confirm(re: ParsedRegex, growth: "exponential" | "polynomial", degree: number, w: Witness): RegexRisk | null {
  const left = { steps: PATTERN_BUDGET };
  let suffix: string | null = null;
  let most = -1;
  for (const s of SUFFIXES) {
    const run = measure(re, w, s, growth === "exponential" ? 3 : 4, left);
    if (run && !run.matched && run.steps > most) [suffix, most] = [s, run.steps];
  }
  if (suffix === null) return null;
  let n1 = growth === "exponential" ? 3 : 4;
  let small = measure(re, w, suffix, n1, left);
  while (small && !small.matched && !small.exhausted && small.steps < MEASURE_FROM && n1 < MAX_PUMPS) {
    n1 = growth === "exponential" ? n1 + 1 : n1 * 2;
    small = measure(re, w, suffix, n1, left);
  }
  // A counted repetition (`{1,120}`) is unbounded to the analysis, but the matcher stops growing
  // past its count: polynomial growth counts only when it continues beyond the largest one.
  const bound = growth === "polynomial" ? largestCount(re.root) : 0;
  if (bound > n1 && bound < MAX_COUNTED) {
    n1 = bound + 1;
    small = measure(re, w, suffix, n1, left);
  }
  if (!small || small.matched || small.exhausted) return null;
  const n2 = growth === "exponential" ? n1 + 4 : n1 * 2;
  // The larger run always gets a full run's budget: it is the measurement the finding rests on.
  left.steps = Math.max(left.steps, RUN_BUDGET);
  const large = measure(re, w, suffix, n2, left)!;
  if (large.matched) return null;
  const ratio = large.steps / Math.max(1, small.steps);
  const needed = growth === "exponential" ? 2 ** ((n2 - n1) / 2) : 0.6 * 2 ** degree;
  if (ratio < needed) return null;
  const m = (n: number, r: MatchRun & { length: number }): Measurement => ({ pumps: n, length: r.length, steps: r.steps, exhausted: r.exhausted });
  return { growth, ...(growth === "polynomial" ? { degree } : {}), witness: w, suffix, measured: [m(n1, small), m(n2, large)] };
}

/** The largest finite upper count of a repetition in the pattern (`{1,120}` → 120), 0 when none. */
function largestCount(node: RegexNode): number {
  switch (node.t) {
    case "rep":
      return Math.max(Number.isFinite(node.max) ? node.max : 0, largestCount(node.body));
    case "seq":
      return node.items.reduce((m, n) => Math.max(m, largestCount(n)), 0);
    case "alt":
      return node.alts.reduce((m, n) => Math.max(m, largestCount(n)), 0);
    case "group":
    case "look":
      return largestCount(node.body);
    default:
      return 0;
  }
}

// ---------------------------------------------------------------- the proof

const show = (s: string): string => JSON.stringify(maskBeforeCut(s.length > 24 ? s.slice(0, 24) : s, 24)) + (s.length > 24 ? "…" : "");

/** `"a" × 30 + "!"`: the attack string with each pump written once and its count. */
function describeAttack(w: Witness, suffix: string, n: number): string {
  const parts: string[] = [];
  if (w.prefix) parts.push(show(w.prefix));
  for (const p of w.pumps) {
    parts.push(`${show(p.pump)} × ${n.toLocaleString("en-US")}`);
    if (p.bridge) parts.push(show(p.bridge));
  }
  if (suffix) parts.push(show(suffix));
  return parts.join(" + ");
}

/** Pumps for an attack of realistic size: 30 for exponential growth, a 50 kB field for polynomial. */
function realisticPumps(risk: RegexRisk): number {
  if (risk.growth === "exponential") return 30;
  const perPump = risk.witness.pumps.reduce((acc, p) => acc + p.pump.length, 0);
  return Math.max(1, Math.floor(REALISTIC_LENGTH / perPump));
}

const fmt = (x: number): string => (x >= 1e7 ? x.toExponential(1).replace("e+", "e") : Math.round(x).toLocaleString("en-US"));

/** The growth in words: "exponential (steps double with each pump)", "polynomial, degree 2 (quadratic)". */
export function describeGrowth(risk: RegexRisk): string {
  if (risk.growth === "exponential") return "exponential (steps at least double with each pump)";
  const names: Record<number, string> = { 2: "quadratic", 3: "cubic" };
  return `polynomial, degree ${risk.degree}${names[risk.degree!] ? ` (${names[risk.degree!]})` : ""}`;
}

/** The finding's proof: the attack, the predicted growth, and the measured step counts at two pump sizes. */
export function regexProof(risk: RegexRisk): Proof {
  const [a, b] = risk.measured;
  const big = realisticPumps(risk);
  const predicted = risk.growth === "exponential" ? a.steps * 2 ** (big - a.pumps) : a.steps * (big / a.pumps) ** risk.degree!;
  const predictedLarge = risk.growth === "exponential" ? a.steps * 2 ** (b.pumps - a.pumps) : a.steps * (b.pumps / a.pumps) ** risk.degree!;
  const rendering = (m: Measurement): Proof["benign"] => ({
    input: describeAttack(risk.witness, risk.suffix, m.pumps),
    rendered: `${m.exhausted ? "more than " : ""}${fmt(m.steps)} backtracking steps for ${m.length} characters, no match`,
    structure: `pumps: ${m.pumps}; steps: ${m.exhausted ? ">" : ""}${m.steps}`,
  });
  return {
    kind: "regex",
    payload: describeAttack(risk.witness, risk.suffix, big),
    benign: rendering(a),
    attack: rendering(b),
    verdict: "proven",
    evidence:
      `Growth ${describeGrowth(risk)}. Predicted from ${a.pumps} to ${b.pumps} pumps: ≈ ${fmt(predictedLarge)} steps; measured ${b.exhausted ? "more than " : ""}${fmt(b.steps)} ` +
      `(${fmt(a.steps)} → ${fmt(b.steps)}). At ${big.toLocaleString("en-US")} pumps the analysis predicts ≈ ${fmt(predicted)} steps.`,
    parser: { name: "pci-auditor backtracking matcher (step-counting)", version: ENGINE_VERSION },
  };
}
