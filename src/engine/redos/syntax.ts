/**
 * A parser for ECMAScript regular expressions, for the ReDoS analysis (redos/ambiguity.ts) and
 * its step-counting matcher (redos/matcher.ts). It reads the syntax of every flag set (`u`/`v`
 * code points, `i` case folding, `s` dotAll, `m` line anchors), classes, escapes, groups,
 * lookarounds, backreferences and lazy quantifiers, and represents each character an atom may
 * read as a set of code point ranges. Unicode property escapes are approximated (the analysis
 * then over-approximates; the matcher's measurement decides). Input is the pattern text of the
 * program under analysis, so the parser is a single bounded pass: it gives up (null) past
 * MAX_PATTERN_CHARS or on syntax it does not read.
 */

/** Sorted, disjoint, non-adjacent inclusive ranges, flattened: [lo0, hi0, lo1, hi1, …]. */
export type CharSet = readonly number[];

export type RegexNode =
  | { t: "char"; set: CharSet }
  | { t: "seq"; items: RegexNode[] }
  | { t: "alt"; alts: RegexNode[] }
  | { t: "rep"; body: RegexNode; min: number; max: number; lazy: boolean }
  | { t: "group"; body: RegexNode; index: number }
  | { t: "assert"; kind: "^" | "$" | "b" | "B" }
  | { t: "look"; body: RegexNode; ahead: boolean; negate: boolean }
  | { t: "backref"; index: number; name?: string };

export interface ParsedRegex {
  root: RegexNode;
  flags: string;
  /** Code points (`u`/`v`) rather than UTF-16 units. */
  unicode: boolean;
  groups: number;
}

const MAX_PATTERN_CHARS = 2_000;
const MAX_NODES = 4_000;

const MAX_CP = 0x10ffff;
const MAX_UNIT = 0xffff;

// ---------------------------------------------------------------- character sets

/** Normalises a list of ranges (any order, overlapping) into a CharSet. */
function ranges(pairs: number[]): CharSet {
  const idx: Array<[number, number]> = [];
  for (let i = 0; i < pairs.length; i += 2) idx.push([pairs[i]!, pairs[i + 1]!]);
  idx.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of idx) {
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function union(a: CharSet, b: CharSet): CharSet {
  return ranges([...a, ...b]);
}

function negate(a: CharSet, max: number): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i]! > next) out.push(next, a[i]! - 1);
    next = a[i + 1]! + 1;
  }
  if (next <= max) out.push(next, max);
  return out;
}

export function intersect(a: CharSet, b: CharSet): CharSet {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function has(set: CharSet, c: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < set[2 * mid]!) hi = mid - 1;
    else if (c > set[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A readable member of a non-empty set: a letter or digit where there is one, else the first printable. */
export function representative(set: CharSet): number {
  for (const c of [97, 48, 65, 32, 95, 45, 46, 33, 64, 47]) if (has(set, c)) return c;
  for (let i = 0; i < set.length; i += 2) if (set[i + 1]! >= 33) return Math.max(set[i]!, 33);
  return set[0]!;
}

const DIGIT: CharSet = [48, 57];
const WORD: CharSet = ranges([48, 57, 65, 90, 95, 95, 97, 122]);
const SPACE: CharSet = ranges([
  9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
const LINE_TERMINATORS: CharSet = ranges([10, 10, 13, 13, 0x2028, 0x2029]);

export function isLineTerminator(c: number): boolean {
  return has(LINE_TERMINATORS, c);
}

export function isWordChar(c: number): boolean {
  return has(WORD, c);
}

/** `\p{…}`: letters and numbers are ASCII's plus everything outside ASCII; other properties any character. */
function propertySet(name: string, max: number): CharSet {
  const n = name.replace(/^(?:General_Category|gc|Script|sc|Script_Extensions|scx)=/, "");
  if (/^(?:L|Letter|Alphabetic|Alpha|Lu|Ll|Lt|Lm|Lo|Uppercase_Letter|Lowercase_Letter|ID_Start|ID_Continue|Latin|Latn)$/.test(n))
    return ranges([65, 90, 97, 122, 0xaa, max]);
  if (/^(?:N|Number|Nd|Decimal_Number|digit)$/.test(n)) return ranges([48, 57, 0xb2, max]);
  if (/^(?:P|Punctuation|S|Symbol|Z|Separator|Zs|White_Space|space)$/.test(n)) return ranges([32, 47, 58, 64, 91, 96, 123, 126, 0xa0, max]);
  return [0, max];
}

/** Adds the other ASCII case, and the simple case mappings of Latin-1 and other small ranges. */
function caseFold(set: CharSet): CharSet {
  const extra: number[] = [];
  for (let i = 0; i < set.length; i += 2) {
    const lo = set[i]!;
    const hi = set[i + 1]!;
    if (hi - lo > 512) continue;
    for (let c = lo; c <= hi; c++) {
      const s = String.fromCodePoint(c);
      for (const o of [s.toLowerCase(), s.toUpperCase()]) {
        const cp = o.codePointAt(0)!;
        if (o.length === String.fromCodePoint(cp).length && cp !== c) extra.push(cp, cp);
      }
    }
  }
  return extra.length === 0 ? set : union(set, extra);
}

// ---------------------------------------------------------------- the parser

class Unsupported extends Error {}

/** Parses a pattern with its flags; null when it is too long, invalid, or uses syntax the parser does not read. */
export function parseRegex(pattern: string, flags: string): ParsedRegex | null {
  if (pattern.length > MAX_PATTERN_CHARS) return null;
  try {
    return new Parser(pattern, flags).parse();
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

class Parser {
  private i = 0;
  private groups = 0;
  private nodes = 0;
  private readonly names = new Map<string, number>();
  private readonly pendingNames: Array<{ t: "backref"; index: number; name?: string }> = [];
  private readonly unicode: boolean;
  private readonly vmode: boolean;
  private readonly icase: boolean;
  private readonly dotAll: boolean;
  private readonly max: number;

  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {
    this.vmode = flags.includes("v");
    this.unicode = flags.includes("u") || this.vmode;
    this.icase = flags.includes("i");
    this.dotAll = flags.includes("s");
    this.max = this.unicode ? MAX_CP : MAX_UNIT;
  }

  parse(): ParsedRegex {
    const root = this.disjunction();
    if (this.i < this.src.length) throw new Unsupported();
    for (const b of this.pendingNames) {
      const idx = this.names.get(b.name!);
      if (idx === undefined) throw new Unsupported();
      b.index = idx;
    }
    return { root, flags: this.flags, unicode: this.unicode, groups: this.groups };
  }

  private node<T extends RegexNode>(n: T): T {
    if (++this.nodes > MAX_NODES) throw new Unsupported();
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private eat(s: string): boolean {
    if (this.src.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  private disjunction(): RegexNode {
    const alts = [this.alternative()];
    while (this.eat("|")) alts.push(this.alternative());
    return alts.length === 1 ? alts[0]! : this.node({ t: "alt", alts });
  }

  private alternative(): RegexNode {
    const items: RegexNode[] = [];
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.term();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : this.node({ t: "seq", items });
  }

  private quantified(atom: RegexNode): RegexNode {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
      if (!m) {
        if (this.unicode) throw new Unsupported();
        return atom; // a literal "{" in Annex B syntax, read by term()
      }
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (atom.t === "assert" || (atom.t === "look" && this.unicode)) throw new Unsupported();
    const lazy = this.eat("?");
    return this.node({ t: "rep", body: atom, min, max, lazy });
  }

  private term(): RegexNode {
    const c = this.src[this.i++]!;
    switch (c) {
      case "^":
        return this.node({ t: "assert", kind: "^" });
      case "$":
        return this.node({ t: "assert", kind: "$" });
      case ".":
        return this.char(this.dotAll ? [0, this.max] : negate(LINE_TERMINATORS, this.max));
      case "(":
        return this.group();
      case "[":
        return this.char(this.classBody());
      case "\\":
        return this.atomEscape();
      case "*":
      case "+":
      case "?":
        throw new Unsupported();
      case ")":
        throw new Unsupported();
      default: {
        if (this.unicode && (c === "{" || c === "}" || c === "]")) throw new Unsupported();
        const cp = this.unicode ? this.src.codePointAt(this.i - 1)! : c.charCodeAt(0);
        if (cp > 0xffff) this.i++;
        return this.char([cp, cp]);
      }
    }
  }

  private char(set: CharSet): RegexNode {
    return this.node({ t: "char", set: this.icase ? caseFold(set) : set });
  }

  private group(): RegexNode {
    let node: RegexNode;
    if (this.eat("?:")) node = this.disjunction();
    else if (this.eat("?=") || this.eat("?!")) {
      const negate = this.src[this.i - 1] === "!";
      node = this.node({ t: "look", body: this.disjunction(), ahead: true, negate });
    } else if (this.eat("?<=") || this.eat("?<!")) {
      const negate = this.src[this.i - 1] === "!";
      node = this.node({ t: "look", body: this.disjunction(), ahead: false, negate });
    } else if (this.eat("?<")) {
      const end = this.src.indexOf(">", this.i);
      if (end < 0) throw new Unsupported();
      const name = this.src.slice(this.i, end);
      this.i = end + 1;
      const index = ++this.groups;
      this.names.set(name, index);
      node = this.node({ t: "group", body: this.disjunction(), index });
    } else if (this.peek() === "?") {
      // Modifiers `(?i:…)` and anything newer: not read.
      throw new Unsupported();
    } else {
      const index = ++this.groups;
      node = this.node({ t: "group", body: this.disjunction(), index });
    }
    if (!this.eat(")")) throw new Unsupported();
    return node;
  }

  private atomEscape(): RegexNode {
    const c = this.src[this.i];
    if (c === undefined) throw new Unsupported();
    if (c === "b" || c === "B") {
      this.i++;
      return this.node({ t: "assert", kind: c });
    }
    if (c >= "1" && c <= "9") {
      const m = /^\d+/.exec(this.src.slice(this.i, this.i + 6))![0];
      this.i += m.length;
      return this.node({ t: "backref", index: Number(m) });
    }
    if (c === "k" && this.src[this.i + 1] === "<") {
      const end = this.src.indexOf(">", this.i);
      if (end < 0) throw new Unsupported();
      const ref = this.node({ t: "backref" as const, index: 0, name: this.src.slice(this.i + 2, end) });
      this.pendingNames.push(ref);
      this.i = end + 1;
      return ref;
    }
    return this.char(this.classEscape());
  }

  /** After a backslash, in or outside a class: a set of characters. */
  private classEscape(): CharSet {
    const c = this.src[this.i++]!;
    switch (c) {
      case "d":
        return DIGIT;
      case "D":
        return negate(DIGIT, this.max);
      case "w":
        return WORD;
      case "W":
        return negate(WORD, this.max);
      case "s":
        return SPACE;
      case "S":
        return negate(SPACE, this.max);
      case "p":
      case "P": {
        if (!this.unicode || this.src[this.i] !== "{") {
          if (this.unicode) throw new Unsupported();
          return [c.charCodeAt(0), c.charCodeAt(0)];
        }
        const end = this.src.indexOf("}", this.i);
        if (end < 0) throw new Unsupported();
        const set = propertySet(this.src.slice(this.i + 1, end), this.max);
        this.i = end + 1;
        return c === "p" ? set : negate(set, this.max);
      }
      default: {
        const cp = this.characterEscape(c);
        return [cp, cp];
      }
    }
  }

  /** The code point of a character escape whose letter (after the backslash) was `c`. */
  private characterEscape(c: string): number {
    switch (c) {
      case "t":
        return 9;
      case "n":
        return 10;
      case "v":
        return 11;
      case "f":
        return 12;
      case "r":
        return 13;
      case "0":
        return 0;
      case "c": {
        const l = this.src[this.i];
        if (l && /[A-Za-z]/.test(l)) {
          this.i++;
          return l.charCodeAt(0) % 32;
        }
        return 92;
      }
      case "x": {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i, this.i + 2));
        if (!m) return 120;
        this.i += 2;
        return parseInt(m[0], 16);
      }
      case "u": {
        if (this.src[this.i] === "{" && this.unicode) {
          const end = this.src.indexOf("}", this.i);
          if (end < 0) throw new Unsupported();
          const v = parseInt(this.src.slice(this.i + 1, end), 16);
          if (!(v >= 0 && v <= MAX_CP)) throw new Unsupported();
          this.i = end + 1;
          return v;
        }
        const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i, this.i + 4));
        if (!m) return 117;
        this.i += 4;
        return parseInt(m[0], 16);
      }
      default: {
        const cp = this.src.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        return cp;
      }
    }
  }

  /** After `[`: the class's set, up to and including `]`. With `v`, nested classes and `&&`/`--` operands. */
  private classBody(): CharSet {
    const negated = this.eat("^");
    let set: CharSet = [];
    let op: "" | "&&" | "--" = "";
    let operand: CharSet | null = null;
    const apply = (s: CharSet): void => {
      if (op === "&&" && operand) operand = intersect(operand, s);
      else if (op === "--" && operand) operand = intersect(operand, negate(s, this.max));
      else set = union(set, s);
    };
    for (;;) {
      if (this.i >= this.src.length) throw new Unsupported();
      if (this.eat("]")) break;
      if (this.vmode && (this.eat("&&") || this.eat("--"))) {
        op = this.src[this.i - 1] === "&" ? "&&" : "--";
        operand = set;
        set = [];
        continue;
      }
      let lo: CharSet;
      if (this.vmode && this.eat("[")) lo = this.classBody();
      else if (this.vmode && this.eat("\\q{")) {
        throw new Unsupported();
      } else lo = this.classAtom();
      if (lo.length === 2 && lo[0] === lo[1] && this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (hi.length === 2 && hi[0] === hi[1]) {
          if (hi[0]! < lo[0]!) throw new Unsupported();
          apply([lo[0]!, hi[0]!]);
          continue;
        }
        if (this.unicode) throw new Unsupported();
        apply(lo);
        apply([45, 45]);
        apply(hi);
        continue;
      }
      apply(lo);
    }
    if (operand) set = operand;
    return negated ? negate(this.icase ? caseFold(set) : set, this.max) : set;
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++]!;
    if (c === "\\") {
      if (this.src[this.i] === "b") {
        this.i++;
        return [8, 8];
      }
      if (this.src[this.i] === "-") {
        this.i++;
        return [45, 45];
      }
      return this.classEscape();
    }
    const cp = this.unicode ? this.src.codePointAt(this.i - 1)! : c.charCodeAt(0);
    if (cp > 0xffff) this.i++;
    return [cp, cp];
  }
}
