/**
 * A backtracking regular expression matcher that counts its steps, for proving ReDoS: it runs a
 * pattern (redos/syntax.ts) on an attack string the way backtracking engines such as V8's
 * Irregexp do — alternatives in order, greedy and lazy quantifiers, the empty-iteration check,
 * captures and backreferences, lookarounds, and a scan that retries from each start position —
 * and stops when a step budget is spent. The platform's RegExp is never run on attack strings:
 * that could hang the scan. Steps are the matcher's own (one per node entered), so they measure
 * growth, not the milliseconds of a particular engine.
 */
import { has, isLineTerminator, isWordChar, type ParsedRegex, type RegexNode } from "./syntax";

export interface MatchRun {
  matched: boolean;
  steps: number;
  /** The budget ran out before the search ended (`steps` is then the budget). */
  exhausted: boolean;
}

class OutOfSteps extends Error {}

type Cont = (i: number) => boolean;

/** Runs the regex over `input` as `test()` does (from index 0; sticky when the flags say so), counting steps up to `budget`. */
export function countSteps(re: ParsedRegex, input: string, budget: number): MatchRun {
  const m = new Matcher(re, input, budget);
  try {
    return { matched: m.search(), steps: m.steps, exhausted: false };
  } catch (e) {
    // A stack overflow on a very long input counts as a spent budget: the measurement is inconclusive, not wrong.
    if (e instanceof OutOfSteps || e instanceof RangeError) return { matched: false, steps: budget, exhausted: true };
    throw e;
  }
}

class Matcher {
  steps = 0;
  private readonly s: number[];
  private readonly caps: Array<[number, number] | undefined> = [];
  private readonly multiline: boolean;
  private readonly icase: boolean;

  constructor(
    private readonly re: ParsedRegex,
    input: string,
    private readonly budget: number,
  ) {
    this.s = re.unicode ? Array.from(input, (ch) => ch.codePointAt(0)!) : Array.from({ length: input.length }, (_, k) => input.charCodeAt(k));
    this.multiline = re.flags.includes("m");
    this.icase = re.flags.includes("i");
  }

  search(): boolean {
    const last = this.re.flags.includes("y") ? 0 : this.s.length;
    for (let start = 0; start <= last; start++) {
      this.caps.length = 0;
      if (this.m(this.re.root, start, () => true)) return true;
    }
    return false;
  }

  private step(): void {
    if (++this.steps > this.budget) throw new OutOfSteps();
  }

  private m(n: RegexNode, i: number, k: Cont): boolean {
    this.step();
    switch (n.t) {
      case "char":
        return i < this.s.length && has(n.set, this.s[i]!) && k(i + 1);
      case "seq":
        return this.seq(n.items, 0, i, k);
      case "alt":
        for (const a of n.alts) if (this.m(a, i, k)) return true;
        return false;
      case "group":
        return this.m(n.body, i, (j) => {
          const prev = this.caps[n.index];
          this.caps[n.index] = [i, j];
          if (k(j)) return true;
          this.caps[n.index] = prev;
          return false;
        });
      case "rep":
        return this.rep(n, 0, i, k);
      case "assert":
        return this.assertion(n.kind, i) && k(i);
      case "look": {
        let ok: boolean;
        if (n.ahead) ok = this.m(n.body, i, () => true);
        else {
          ok = false;
          for (let j = i; j >= 0 && !ok; j--) ok = this.m(n.body, j, (e) => e === i);
        }
        return ok !== n.negate && k(i);
      }
      case "backref": {
        const c = this.caps[n.index];
        if (!c) return k(i);
        const len = c[1] - c[0];
        if (i + len > this.s.length) return false;
        for (let d = 0; d < len; d++) {
          this.step();
          const a = this.s[c[0] + d]!;
          const b = this.s[i + d]!;
          if (a !== b && !(this.icase && String.fromCodePoint(a).toLowerCase() === String.fromCodePoint(b).toLowerCase())) return false;
        }
        return k(i + len);
      }
    }
  }

  private seq(items: RegexNode[], idx: number, i: number, k: Cont): boolean {
    if (idx === items.length) return k(i);
    return this.m(items[idx]!, i, (j) => this.seq(items, idx + 1, j, k));
  }

  /** `count` iterations done, at `i`: another iteration (an empty one ends the loop, as in V8), or the continuation. */
  private rep(n: Extract<RegexNode, { t: "rep" }>, count: number, i: number, k: Cont): boolean {
    this.step();
    const more = (): boolean => count < n.max && this.m(n.body, i, (j) => (j === i && count >= n.min ? false : this.rep(n, count + 1, j, k)));
    if (count < n.min) return more();
    if (n.lazy) return k(i) || more();
    return more() || k(i);
  }

  private assertion(kind: "^" | "$" | "b" | "B", i: number): boolean {
    const s = this.s;
    switch (kind) {
      case "^":
        return i === 0 || (this.multiline && isLineTerminator(s[i - 1]!));
      case "$":
        return i === s.length || (this.multiline && isLineTerminator(s[i]!));
      default: {
        const boundary = (i > 0 && isWordChar(s[i - 1]!)) !== (i < s.length && isWordChar(s[i]!));
        return kind === "b" ? boundary : !boundary;
      }
    }
  }
}
