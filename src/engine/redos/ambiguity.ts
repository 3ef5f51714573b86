/**
 * The ReDoS analysis proper: which regular expressions a backtracking matcher can take
 * exponential or polynomial time on, and on which strings. It builds the position (Glushkov)
 * automaton of a parsed pattern — one state per character atom, parallel edges counted, so that
 * `(a*)*` keeps the two ways its loops read an `a` — and decides its ambiguity with the product
 * constructions of Weideman et al. ("Analyzing matching time behavior of backtracking regular
 * expression matchers by using ambiguity of NFA", 2016; the method of recheck's automaton
 * checker):
 * - exponential (EDA): a state with two distinct looping paths on the same word — an SCC of the
 *   pair automaton holding a diagonal state (q, q) and an off-diagonal one, or a doubled edge
 *   inside an SCC (`(a+)+`, `(a|a)*`, `(\w|\d)+$`);
 * - polynomial (IDA): states p ≠ q with p →w p, p →w q and q →w q — a path (p, p, q) →w (p, q, q)
 *   in the triple automaton (`\s*\d+\s*x`, `.*a.*b`); the degree is one more than the longest
 *   chain of such pairs.
 * An unanchored pattern is searched from every start position, so it gets an implicit leading
 * loop over any character (the `[^]*?` every search adds), which is what makes `/\s+$/` quadratic.
 * Lookarounds and backreferences are read as empty (an over-approximation the step-counting
 * matcher then confirms or refutes), and counted repetitions above a small bound as unbounded.
 * Every construction is bounded (positions, product states); past a bound the analysis gives up.
 */
import { intersect, representative, type CharSet, type ParsedRegex, type RegexNode } from "./syntax";

/** A string that drives the matcher into the ambiguity: prefix, then each pump repeated with its bridge after it, then a suffix. */
export interface Witness {
  prefix: string;
  pumps: Array<{ pump: string; bridge: string }>;
}

export type Ambiguity =
  | { growth: "exponential"; witness: Witness }
  | { growth: "polynomial"; degree: number; witness: Witness }
  | { growth: "none" }
  | { growth: "unknown"; reason: string };

const MAX_POSITIONS = 300;
/** Product-automaton edges examined per pattern. */
const MAX_WORK = 400_000;
/** Counted repetitions up to this bound are expanded; larger ones are read as unbounded. */
const MAX_EXPANDED_COUNT = 4;

class GiveUp extends Error {}

interface Nfa {
  /** sets[p]: what entering position p reads; sets[0] (the initial state) is empty. */
  sets: CharSet[];
  /** out[p]: successor → number of distinct edges (capped at 2). */
  out: Array<Map<number, number>>;
}

interface Frag {
  first: number[];
  last: number[];
  nullable: boolean;
}

/** The position automaton of a pattern; `searched` adds the leading any-character loop of an unanchored search. */
function buildNfa(re: ParsedRegex): Nfa {
  const nfa: Nfa = { sets: [[]], out: [new Map()] };
  const pos = (set: CharSet): number => {
    if (nfa.sets.length > MAX_POSITIONS) throw new GiveUp();
    nfa.sets.push(set);
    nfa.out.push(new Map());
    return nfa.sets.length - 1;
  };
  const link = (from: readonly number[], to: readonly number[]): void => {
    for (const a of from) for (const b of to) nfa.out[a]!.set(b, Math.min(2, (nfa.out[a]!.get(b) ?? 0) + 1));
  };
  const seq = (a: Frag, b: Frag): Frag => {
    link(a.last, b.first);
    return { first: a.nullable ? [...a.first, ...b.first] : a.first, last: b.nullable ? [...a.last, ...b.last] : b.last, nullable: a.nullable && b.nullable };
  };
  const EMPTY: Frag = { first: [], last: [], nullable: true };
  const build = (n: RegexNode): Frag => {
    switch (n.t) {
      case "char": {
        const p = pos(n.set);
        return { first: [p], last: [p], nullable: false };
      }
      case "seq":
        return n.items.reduce((acc, item) => seq(acc, build(item)), EMPTY);
      case "alt": {
        const parts = n.alts.map(build);
        return { first: parts.flatMap((f) => f.first), last: parts.flatMap((f) => f.last), nullable: parts.some((f) => f.nullable) };
      }
      case "group":
        return build(n.body);
      case "rep": {
        const exact = n.max !== Infinity && n.max <= MAX_EXPANDED_COUNT;
        const required = exact ? n.min : Math.min(n.min, 1);
        let acc = EMPTY;
        for (let k = 0; k < required; k++) acc = seq(acc, build(n.body));
        if (exact) {
          for (let k = n.min; k < n.max; k++) acc = seq(acc, { ...build(n.body), nullable: true });
          return acc;
        }
        const loop = build(n.body);
        link(loop.last, loop.first);
        return seq(acc, { ...loop, nullable: true });
      }
      case "assert":
      case "look":
      case "backref":
        return EMPTY;
    }
  };
  const searched = !re.flags.includes("y") && !anchoredAtStart(re.root, re.flags.includes("m"));
  let body = build(re.root);
  if (searched) {
    const any = pos([0, re.unicode ? 0x10ffff : 0xffff]);
    link([any], [any]);
    body = seq({ first: [any], last: [any], nullable: true }, body);
  }
  link([0], body.first);
  return nfa;
}

/** The pattern can only match at the start of the input (`^…`, without the `m` flag). */
function anchoredAtStart(n: RegexNode, multiline: boolean): boolean {
  switch (n.t) {
    case "assert":
      return n.kind === "^" && !multiline;
    case "seq":
      for (const item of n.items) {
        if (anchoredAtStart(item, multiline)) return true;
        if (item.t !== "look" && !(item.t === "assert" && item.kind !== "^")) return false;
      }
      return false;
    case "alt":
      return n.alts.every((a) => anchoredAtStart(a, multiline));
    case "group":
      return anchoredAtStart(n.body, multiline);
    default:
      return false;
  }
}

/** Strongly connected components (iterative Tarjan) of the NFA: comp[p], and which components loop. */
function components(nfa: Nfa): { comp: number[]; loops: boolean[]; count: number } {
  const n = nfa.sets.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const comp = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: Array<{ v: number; it: Iterator<number> }> = [];
    const visit = (v: number): void => {
      index[v] = low[v] = next++;
      stack.push(v);
      onStack[v] = true;
      work.push({ v, it: nfa.out[v]!.keys() });
    };
    visit(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const r = top.it.next();
      if (!r.done) {
        const w = r.value;
        if (index[w] === -1) visit(w);
        else if (onStack[w]) low[top.v] = Math.min(low[top.v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length > 0) low[work[work.length - 1]!.v] = Math.min(low[work[work.length - 1]!.v]!, low[top.v]!);
      if (low[top.v] === index[top.v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp[w] = count;
        } while (w !== top.v);
        count++;
      }
    }
  }
  const loops = new Array<boolean>(count).fill(false);
  for (let p = 0; p < n; p++) for (const q of nfa.out[p]!.keys()) if (comp[p] === comp[q]) loops[comp[p]!] = true;
  return { comp, loops, count };
}

/**
 * Decides the pattern's worst-case backtracking growth, with a witness when it is not linear;
 * `polynomialOnly` skips the exponential check (when its witness could not be confirmed).
 */
export function analyseAmbiguity(re: ParsedRegex, polynomialOnly = false): Ambiguity {
  let nfa: Nfa;
  try {
    nfa = buildNfa(re);
  } catch (e) {
    if (e instanceof GiveUp) return { growth: "unknown", reason: `more than ${MAX_POSITIONS} character positions` };
    throw e;
  }
  const a = new Analysis(nfa);
  try {
    return (polynomialOnly ? null : a.exponential()) ?? a.polynomial();
  } catch (e) {
    if (e instanceof GiveUp) return { growth: "unknown", reason: "the product automaton exceeded its budget" };
    throw e;
  }
}

class Analysis {
  private work = 0;
  private readonly n: number;
  private readonly comp: number[];
  private readonly loops: boolean[];
  private readonly compCount: number;
  private readonly overlapCache: Map<number, CharSet>;

  constructor(private readonly nfa: Nfa) {
    this.n = nfa.sets.length;
    ({ comp: this.comp, loops: this.loops, count: this.compCount } = components(nfa));
    this.overlapCache = new Map();
  }

  private spend(): void {
    if (++this.work > MAX_WORK) throw new GiveUp();
  }

  /** What positions p and q can both read (memoised). */
  private overlap(p: number, q: number): CharSet {
    const key = p < q ? p * this.n + q : q * this.n + p;
    let s = this.overlapCache.get(key);
    if (!s) this.overlapCache.set(key, (s = p === q ? this.nfa.sets[p]! : intersect(this.nfa.sets[p]!, this.nfa.sets[q]!)));
    return s;
  }

  private ch(set: CharSet): string {
    return String.fromCodePoint(representative(set));
  }

  /** The shortest word from the initial state to `target` (optionally within one component), or null. */
  private path(from: number, target: number, within = -1): string | null {
    if (from === target) return "";
    const prev = new Map<number, number>();
    const queue = [from];
    for (let h = 0; h < queue.length; h++) {
      const v = queue[h]!;
      for (const w of this.nfa.out[v]!.keys()) {
        if (prev.has(w) || (within >= 0 && this.comp[w] !== within)) continue;
        prev.set(w, v);
        if (w === target) {
          let word = "";
          for (let x = w; ;) {
            word = this.ch(this.nfa.sets[x]!) + word;
            x = prev.get(x)!;
            if (x === from) return word;
          }
        }
        queue.push(w);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- exponential

  exponential(): Ambiguity | null {
    const { nfa, comp } = this;
    // A doubled edge inside a loop: two ways round the same cycle.
    for (let p = 0; p < this.n; p++) {
      for (const [q, count] of nfa.out[p]!) {
        if (count < 2 || comp[p] !== comp[q]) continue;
        const back = this.path(q, p, comp[p]);
        if (back === null) continue;
        const pump = this.ch(nfa.sets[q]!) + back;
        const prefix = this.path(0, p);
        if (prefix !== null) return { growth: "exponential", witness: { prefix, pumps: [{ pump, bridge: "" }] } };
      }
    }
    for (let c = 0; c < this.compCount; c++) {
      if (!this.loops[c]) continue;
      const found = this.pairScc(c);
      if (found) return found;
    }
    return null;
  }

  /** Tarjan over the pair automaton restricted to component c, from its diagonal states; a mixed SCC is exponential. */
  private pairScc(c: number): Ambiguity | null {
    const { nfa, comp, n } = this;
    const members: number[] = [];
    for (let p = 0; p < n; p++) if (comp[p] === c) members.push(p);
    const succ = (s: number): number[] => {
      const p = Math.floor(s / n);
      const q = s % n;
      const out: number[] = [];
      for (const p2 of nfa.out[p]!.keys()) {
        if (comp[p2] !== c) continue;
        for (const q2 of nfa.out[q]!.keys()) {
          this.spend();
          if (comp[q2] === c && this.overlap(p2, q2).length > 0) out.push(p2 * n + q2);
        }
      }
      return out;
    };
    const index = new Map<number, number>();
    const low = new Map<number, number>();
    const onStack = new Set<number>();
    const stack: number[] = [];
    let next = 0;
    for (const root of members.map((p) => p * n + p)) {
      if (index.has(root)) continue;
      const work: Array<{ v: number; succ: number[]; k: number }> = [];
      const visit = (v: number): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        work.push({ v, succ: succ(v), k: 0 });
      };
      visit(root);
      while (work.length > 0) {
        const top = work[work.length - 1]!;
        if (top.k < top.succ.length) {
          const w = top.succ[top.k++]!;
          if (!index.has(w)) visit(w);
          else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1]!.v;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
        }
        if (low.get(top.v) === index.get(top.v)) {
          const scc: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            scc.push(w);
          } while (w !== top.v);
          const diag = scc.find((s) => Math.floor(s / n) === s % n);
          const off = scc.find((s) => Math.floor(s / n) !== s % n);
          if (diag !== undefined && off !== undefined) return this.pairWitness(new Set(scc), diag, off, succ);
        }
      }
    }
    return null;
  }

  private pairWitness(scc: Set<number>, diag: number, off: number, succ: (s: number) => number[]): Ambiguity | null {
    const n = this.n;
    const walk = (from: number, to: number): string | null => {
      const prev = new Map<number, number>();
      const queue = [from];
      for (let h = 0; h < queue.length; h++) {
        const v = queue[h]!;
        for (const w of succ(v)) {
          if (!scc.has(w) || prev.has(w)) continue;
          prev.set(w, v);
          if (w === to) {
            let word = "";
            for (let x = w; ;) {
              word = this.ch(this.overlap(Math.floor(x / n), x % n)) + word;
              x = prev.get(x)!;
              if (x === from) break;
            }
            return word;
          }
          queue.push(w);
        }
      }
      return null;
    };
    const there = walk(diag, off);
    const back = walk(off, diag);
    const q = Math.floor(diag / n);
    const prefix = this.path(0, q);
    if (there === null || back === null || prefix === null) return null;
    return { growth: "exponential", witness: { prefix, pumps: [{ pump: there + back, bridge: "" }] } };
  }

  // ---------------------------------------------------------------- polynomial

  polynomial(): Ambiguity {
    const { comp, n } = this;
    const looping: number[] = [];
    for (let p = 1; p < n; p++) if (this.loops[comp[p]!]) looping.push(p);
    const reach = this.componentReach();
    // IDA pairs between looping components: (p, q, pump).
    const pairs: Array<{ p: number; q: number; pump: string }> = [];
    const seen = new Set<string>();
    for (const p of looping) {
      for (const q of looping) {
        const cp = comp[p]!;
        const cq = comp[q]!;
        if (cp === cq || !reach[cp]!.has(cq) || seen.has(`${cp}:${cq}`)) continue;
        const pump = this.tripleWalk(p, q);
        if (pump !== null) {
          seen.add(`${cp}:${cq}`);
          pairs.push({ p, q, pump });
        }
      }
    }
    if (pairs.length === 0) return { growth: "none" };
    // The longest chain of pairs, each starting in a component the previous one's end reaches.
    const best = new Map<number, Array<(typeof pairs)[number]>>();
    const chainFrom = (pair: (typeof pairs)[number]): Array<(typeof pairs)[number]> => {
      const key = pairs.indexOf(pair);
      const memo = best.get(key);
      if (memo) return memo;
      let longest: Array<(typeof pairs)[number]> = [];
      for (const nextPair of pairs) {
        const from = comp[pair.q]!;
        const to = comp[nextPair.p]!;
        if (nextPair !== pair && (from === to || reach[from]!.has(to))) {
          const c = chainFrom(nextPair);
          if (c.length > longest.length) longest = c;
        }
      }
      const chain = [pair, ...longest];
      best.set(key, chain);
      return chain;
    };
    let chain: Array<(typeof pairs)[number]> = [];
    for (const pair of pairs) {
      const c = chainFrom(pair);
      if (c.length > chain.length) chain = c;
    }
    const prefix = this.path(0, chain[0]!.p);
    if (prefix === null) return { growth: "none" };
    const pumps: Witness["pumps"] = [];
    for (let k = 0; k < chain.length; k++) {
      const next = chain[k + 1];
      const bridge = next ? this.path(chain[k]!.q, next.p) : "";
      if (bridge === null) break;
      pumps.push({ pump: chain[k]!.pump, bridge });
    }
    return { growth: "polynomial", degree: pumps.length + 1, witness: { prefix, pumps } };
  }

  /** Which components each component reaches (itself included). */
  private componentReach(): Array<Set<number>> {
    const direct: Array<Set<number>> = Array.from({ length: this.compCount }, () => new Set<number>());
    for (let p = 0; p < this.n; p++) for (const q of this.nfa.out[p]!.keys()) direct[this.comp[p]!]!.add(this.comp[q]!);
    // Tarjan numbers components in reverse topological order: successors have smaller numbers.
    const reach: Array<Set<number>> = [];
    for (let c = 0; c < this.compCount; c++) {
      const r = new Set<number>([c]);
      for (const d of direct[c]!) if (d !== c) for (const x of reach[d]!) r.add(x);
      reach.push(r);
    }
    return reach;
  }

  /** A word w with p →w p, p →w q and q →w q: a path (p, p, q) → (p, q, q) in the triple automaton. */
  private tripleWalk(p: number, q: number): string | null {
    const { nfa, comp, n } = this;
    const cp = comp[p]!;
    const cq = comp[q]!;
    const key = (a: number, b: number, c: number): number => (a * n + b) * n + c;
    const start = key(p, p, q);
    const goal = key(p, q, q);
    const prev = new Map<number, number>();
    const queue = [start];
    for (let h = 0; h < queue.length; h++) {
      const s = queue[h]!;
      const a = Math.floor(s / (n * n));
      const b = Math.floor(s / n) % n;
      const c = s % n;
      for (const a2 of nfa.out[a]!.keys()) {
        if (comp[a2] !== cp) continue;
        for (const c2 of nfa.out[c]!.keys()) {
          if (comp[c2] !== cq) continue;
          const ac = this.overlap(a2, c2);
          if (ac.length === 0) continue;
          for (const b2 of nfa.out[b]!.keys()) {
            this.spend();
            const t = key(a2, b2, c2);
            if (prev.has(t) || intersect(ac, nfa.sets[b2]!).length === 0) continue;
            prev.set(t, s);
            if (t === goal) {
              let word = "";
              for (let x = t; x !== start; x = prev.get(x)!) {
                const xa = Math.floor(x / (n * n));
                const xb = Math.floor(x / n) % n;
                const xc = x % n;
                word = this.ch(intersect(this.overlap(xa, xc), nfa.sets[xb]!)) + word;
              }
              return word;
            }
            queue.push(t);
          }
        }
      }
    }
    return null;
  }
}
