/**
 * XPath injection prover. Both renderings are parsed as XPath 1.0 expressions (W3C XPath 1.0 §3,
 * with the lexical disambiguation rules of §3.7) by a small recursive-descent parser of our own,
 * bounded in tokens and nesting, and reduced to their shape (the tree with literal values
 * blanked), the union branches and the `or` conditions that are always true. The attack is
 * proven when the payload added a union branch (`| //*` selects other nodes), made an `or`
 * always true (`' or '1'='1`: the predicate holds for every node) or otherwise changed the tree
 * beyond the value of the hole. Nothing is evaluated against a document.
 */
import { shorten, type Analysis, type Change, type Prover } from "./prover";

/** A parsed expression: an operator with operands, a path, or a primary value. */
type XNode =
  | { k: "op"; op: string; a: XNode; b: XNode }
  | { k: "neg"; a: XNode }
  | { k: "union"; parts: XNode[] }
  | { k: "path"; root: "" | "/" | "//"; filter: XNode | null; steps: Step[] }
  | { k: "lit"; v: string }
  | { k: "num"; v: number }
  | { k: "var"; name: string }
  | { k: "fn"; name: string; args: XNode[] }
  | { k: "filter"; primary: XNode; predicates: XNode[] };

interface Step {
  /** The separator before the step ("/" or "//"); "" for the first step of a relative path. */
  sep: string;
  /** "child::name", "attribute::id", "self::node()", "parent::node()". */
  test: string;
  predicates: XNode[];
}

export interface XpathStructure {
  /** The expression with literal values blanked: `//user[@name='…']`. */
  shape: string;
  /** The expression as parsed, for evidence. */
  text: string;
  /** The paths of a top-level union (one entry without a union). */
  branches: string[];
  /** `or` conditions with an operand that is always true, as text. */
  alwaysTrue: string[];
  /** Every `or` condition, as text. */
  alternatives: string[];
}

const MAX_TOKENS = 2_000;
const MAX_DEPTH = 100;
const MAX_PRINTED = 240;

const AXES = new Set([
  "ancestor",
  "ancestor-or-self",
  "attribute",
  "child",
  "descendant",
  "descendant-or-self",
  "following",
  "following-sibling",
  "namespace",
  "parent",
  "preceding",
  "preceding-sibling",
  "self",
]);
const NODE_TYPES = new Set(["comment", "text", "processing-instruction", "node"]);
const OPERATOR_NAMES = new Set(["and", "or", "mod", "div"]);

/** The parser's name in proofs. */
export const XPATH_PARSER = { name: "pci-auditor xpath", version: "1.0" } as const;

/** A prover for XPath expressions. */
export function createXpathProver(): Prover<XpathStructure> {
  return { parser: { ...XPATH_PARSER, dialect: "XPath 1.0" }, analyze: analyzeXpath, compare: compareXpath };
}

// ---------------------------------------------------------------- lexer

type Tok =
  { t: "lit"; v: string } | { t: "num"; v: number } | { t: "name"; v: string } | { t: "var"; v: string } | { t: "punct"; v: string } | { t: "op"; v: string };

const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]/;

/** Tokens of an expression (§3.7), or an error message. */
function tokenize(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  const n = text.length;
  // §3.7: after these (or at the start) `*` is a name test and a name is not an operator.
  const operandExpected = (): boolean => {
    const p = out[out.length - 1];
    if (!p) return true;
    if (p.t === "op") return true;
    // "/" and "//" are operators in §3.7's sense too.
    return p.t === "punct" && (p.v === "@" || p.v === "::" || p.v === "(" || p.v === "[" || p.v === "," || p.v === "/" || p.v === "//");
  };
  while (i < n) {
    if (out.length > MAX_TOKENS) return "expression too long to parse";
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return `unterminated string literal at ${i}`;
      out.push({ t: "lit", v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      let j = i;
      while (j < n && /[0-9]/.test(text[j]!)) j++;
      if (text[j] === ".") {
        j++;
        while (j < n && /[0-9]/.test(text[j]!)) j++;
      }
      out.push({ t: "num", v: Number(text.slice(i, j)) });
      i = j;
    } else if (c === "$") {
      const name = readQName(text, i + 1);
      if (!name) return `variable name expected at ${i}`;
      out.push({ t: "var", v: name });
      i += 1 + name.length;
    } else if (c === "/" || c === "|" || c === "+" || c === "-" || c === "=" || c === "<" || c === ">" || c === "!") {
      const two = text.slice(i, i + 2);
      if (two === "//" || two === "!=" || two === "<=" || two === ">=") {
        out.push(two === "//" ? { t: "punct", v: two } : { t: "op", v: two });
        i += 2;
      } else if (c === "!") {
        return `unexpected '!' at ${i}`;
      } else {
        out.push(c === "/" ? { t: "punct", v: c } : { t: "op", v: c });
        i++;
      }
    } else if (c === "*") {
      out.push(operandExpected() ? { t: "name", v: "*" } : { t: "op", v: "*" });
      i++;
    } else if (c === ":" && text[i + 1] === ":") {
      out.push({ t: "punct", v: "::" });
      i += 2;
    } else if (c === "." && text[i + 1] === ".") {
      out.push({ t: "punct", v: ".." });
      i += 2;
    } else if ("()[].@,".includes(c)) {
      out.push({ t: "punct", v: c });
      i++;
    } else if (NAME_START.test(c)) {
      const operand = operandExpected();
      let name = readQName(text, i);
      // prefix:* is a name test.
      if (text[i + name.length] === ":" && text[i + name.length + 1] === "*" && !name.includes(":")) name += ":*";
      i += name.length;
      out.push(!operand && OPERATOR_NAMES.has(name) ? { t: "op", v: name } : { t: "name", v: name });
    } else {
      return `unexpected character '${c}' at ${i}`;
    }
  }
  return out;
}

/** An NCName or QName starting at `i` (without a following `::`), or "". */
function readQName(text: string, i: number): string {
  if (!NAME_START.test(text[i] ?? "")) return "";
  let j = i + 1;
  while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
  if (text[j] === ":" && text[j + 1] !== ":" && NAME_START.test(text[j + 1] ?? "")) {
    j++;
    while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
  }
  return text.slice(i, j);
}

// ---------------------------------------------------------------- parser

class XpathParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): XNode {
    const e = this.expr();
    if (this.i < this.toks.length) throw new Error(`unexpected ${show(this.toks[this.i]!)} after the expression`);
    return e;
  }

  private peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }
  private is(t: Tok["t"], v?: string, k = 0): boolean {
    const x = this.peek(k);
    return !!x && x.t === t && (v === undefined || x.v === v);
  }
  private expect(t: Tok["t"], v: string): void {
    if (!this.is(t, v)) throw new Error(`expected '${v}'${this.peek() ? ` before ${show(this.peek()!)}` : " at the end"}`);
    this.i++;
  }

  private expr(): XNode {
    if (++this.depth > MAX_DEPTH) throw new Error("nesting too deep to parse");
    const e = this.binary(0);
    this.depth--;
    return e;
  }

  private static readonly LEVELS: ReadonlyArray<ReadonlySet<string>> = [
    new Set(["or"]),
    new Set(["and"]),
    new Set(["=", "!="]),
    new Set(["<", ">", "<=", ">="]),
    new Set(["+", "-"]),
    new Set(["*", "div", "mod"]),
  ];

  private binary(level: number): XNode {
    if (level === XpathParser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    while (this.peek()?.t === "op" && XpathParser.LEVELS[level]!.has(this.peek()!.v as string)) {
      const op = this.toks[this.i++]!.v as string;
      a = { k: "op", op, a, b: this.binary(level + 1) };
    }
    return a;
  }

  private unary(): XNode {
    if (this.is("op", "-")) {
      this.i++;
      return { k: "neg", a: this.unary() };
    }
    const first = this.path();
    if (!this.is("op", "|")) return first;
    const parts = [first];
    while (this.is("op", "|")) {
      this.i++;
      parts.push(this.path());
    }
    return { k: "union", parts };
  }

  private path(): XNode {
    const t = this.peek();
    if (!t) throw new Error("expression expected at the end");
    const primary =
      t.t === "lit" || t.t === "num" || t.t === "var" || this.is("punct", "(") || (t.t === "name" && this.is("punct", "(", 1) && !NODE_TYPES.has(t.v));
    if (!primary) {
      if (this.is("punct", "/") || this.is("punct", "//")) {
        const root = this.toks[this.i++]!.v as "/" | "//";
        const steps = root === "/" && !this.startsStep() ? [] : this.steps("");
        return { k: "path", root, filter: null, steps };
      }
      return { k: "path", root: "", filter: null, steps: this.steps("") };
    }
    let filter = this.primary();
    const predicates = this.predicates();
    if (predicates.length > 0) filter = { k: "filter", primary: filter, predicates };
    if (this.is("punct", "/") || this.is("punct", "//")) {
      const sep = this.toks[this.i++]!.v as string;
      return { k: "path", root: "", filter, steps: this.steps(sep) };
    }
    return filter;
  }

  private startsStep(): boolean {
    const t = this.peek();
    return !!t && (t.t === "name" || (t.t === "punct" && (t.v === "." || t.v === ".." || t.v === "@")));
  }

  private steps(firstSep: string): Step[] {
    const steps = [this.step(firstSep)];
    while (this.is("punct", "/") || this.is("punct", "//")) {
      const sep = this.toks[this.i++]!.v as string;
      steps.push(this.step(sep));
    }
    return steps;
  }

  private step(sep: string): Step {
    if (this.is("punct", ".")) {
      this.i++;
      return { sep, test: "self::node()", predicates: [] };
    }
    if (this.is("punct", "..")) {
      this.i++;
      return { sep, test: "parent::node()", predicates: [] };
    }
    let axis = "child";
    if (this.is("punct", "@")) {
      this.i++;
      axis = "attribute";
    } else if (this.peek()?.t === "name" && this.is("punct", "::", 1)) {
      axis = this.toks[this.i]!.v as string;
      if (!AXES.has(axis)) throw new Error(`unknown axis ${axis}`);
      this.i += 2;
    }
    const t = this.peek();
    if (!t || t.t !== "name") throw new Error(`node test expected${t ? ` before ${show(t)}` : " at the end"}`);
    this.i++;
    let test = t.v;
    if (NODE_TYPES.has(test) && this.is("punct", "(")) {
      this.i++;
      if (test === "processing-instruction" && this.peek()?.t === "lit") this.i++;
      this.expect("punct", ")");
      test += "()";
    }
    return { sep, test: `${axis}::${test}`, predicates: this.predicates() };
  }

  private predicates(): XNode[] {
    const out: XNode[] = [];
    while (this.is("punct", "[")) {
      this.i++;
      out.push(this.expr());
      this.expect("punct", "]");
    }
    return out;
  }

  private primary(): XNode {
    const t = this.toks[this.i]!;
    if (t.t === "lit") return (this.i++, { k: "lit", v: t.v });
    if (t.t === "num") return (this.i++, { k: "num", v: t.v });
    if (t.t === "var") return (this.i++, { k: "var", name: t.v });
    if (this.is("punct", "(")) {
      this.i++;
      const e = this.expr();
      this.expect("punct", ")");
      return e;
    }
    const name = t.v;
    this.i += 2;
    const args: XNode[] = [];
    if (!this.is("punct", ")")) {
      args.push(this.expr());
      while (this.is("punct", ",")) {
        this.i++;
        args.push(this.expr());
      }
    }
    this.expect("punct", ")");
    return { k: "fn", name, args };
  }
}

function show(t: Tok): string {
  return t.t === "lit" ? `'${shorten(t.v, 20)}'` : `'${String(t.v)}'`;
}

// ---------------------------------------------------------------- printing and facts

/** The expression as text; with `blank`, literal and number values are replaced (the shape). */
function print(n: XNode, blank: boolean, budget: { left: number }): string {
  if (--budget.left < 0) return "…";
  switch (n.k) {
    case "op":
      return `(${print(n.a, blank, budget)} ${n.op} ${print(n.b, blank, budget)})`;
    case "neg":
      return `-${print(n.a, blank, budget)}`;
    case "union":
      return n.parts.map((p) => print(p, blank, budget)).join(" | ");
    case "path": {
      const head = n.filter ? print(n.filter, blank, budget) : n.root;
      return (
        head +
        n.steps
          .map((s, i) => (i === 0 && !n.filter ? "" : s.sep) + abbreviate(s.test) + s.predicates.map((p) => `[${print(p, blank, budget)}]`).join(""))
          .join("")
      );
    }
    case "lit":
      return blank ? "'…'" : `'${n.v}'`;
    case "num":
      return blank ? "n" : String(n.v);
    case "var":
      return `$${n.name}`;
    case "fn":
      return `${n.name}(${n.args.map((a) => print(a, blank, budget)).join(", ")})`;
    case "filter":
      return print(n.primary, blank, budget) + n.predicates.map((p) => `[${print(p, blank, budget)}]`).join("");
  }
}

function abbreviate(test: string): string {
  if (test.startsWith("child::")) return test.slice(7);
  if (test.startsWith("attribute::")) return "@" + test.slice(11);
  if (test === "self::node()") return ".";
  if (test === "parent::node()") return "..";
  return test;
}

/** Whether an expression is true whatever the document: `'1'='1'`, `1=1`, `true()`, a non-zero number. */
function constantlyTrue(n: XNode): boolean {
  const value = constant(n);
  return value === true || (typeof value === "number" && value !== 0 && !Number.isNaN(value)) || (typeof value === "string" && value !== "");
}

/** The value of an expression without node references, or undefined. */
function constant(n: XNode): string | number | boolean | undefined {
  switch (n.k) {
    case "lit":
      return n.v;
    case "num":
      return n.v;
    case "neg": {
      const v = constant(n.a);
      return typeof v === "number" ? -v : undefined;
    }
    case "fn":
      if (n.args.length === 0 && (n.name === "true" || n.name === "false")) return n.name === "true";
      if (n.name === "not" && n.args.length === 1) {
        const v = constant(n.args[0]!);
        return v === undefined ? undefined : !truthy(v);
      }
      return undefined;
    case "op": {
      const a = constant(n.a);
      const b = constant(n.b);
      if (a === undefined || b === undefined) {
        // `x or true()` is true whatever x is.
        if (n.op === "or" && (constantlyTrue(n.a) || constantlyTrue(n.b))) return true;
        return undefined;
      }
      switch (n.op) {
        case "or":
          return truthy(a) || truthy(b);
        case "and":
          return truthy(a) && truthy(b);
        case "=":
        case "!=": {
          // §3.4: with a boolean, compare as booleans; with a number, as numbers; else as strings.
          const eq =
            typeof a === "boolean" || typeof b === "boolean"
              ? truthy(a) === truthy(b)
              : typeof a === "number" || typeof b === "number"
                ? Number(a) === Number(b)
                : a === b;
          return n.op === "=" ? eq : !eq;
        }
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function truthy(v: string | number | boolean): boolean {
  return typeof v === "boolean" ? v : typeof v === "number" ? v !== 0 && !Number.isNaN(v) : v !== "";
}

function collect(root: XNode, facts: XpathStructure): void {
  const stack: XNode[] = [root];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_TOKENS) {
    const n = stack.pop()!;
    switch (n.k) {
      case "op":
        if (n.op === "or") {
          const text = shorten(print(n, false, { left: 200 }), MAX_PRINTED);
          facts.alternatives.push(text);
          if (constantlyTrue(n.a) || constantlyTrue(n.b)) facts.alwaysTrue.push(text);
        }
        stack.push(n.a, n.b);
        break;
      case "neg":
        stack.push(n.a);
        break;
      case "union":
        stack.push(...n.parts);
        break;
      case "path":
        if (n.filter) stack.push(n.filter);
        for (const s of n.steps) stack.push(...s.predicates);
        break;
      case "fn":
        stack.push(...n.args);
        break;
      case "filter":
        stack.push(n.primary, ...n.predicates);
        break;
      default:
        break;
    }
  }
}

function analyzeXpath(text: string): Analysis<XpathStructure> {
  const toks = tokenize(text);
  if (typeof toks === "string") return { ok: false, message: toks };
  if (toks.length === 0) return { ok: false, message: "empty expression" };
  let tree: XNode;
  try {
    tree = new XpathParser(toks).parse();
  } catch (error) {
    return { ok: false, message: shorten((error as Error).message, 200) };
  }
  const printed = print(tree, false, { left: 2_000 });
  const facts: XpathStructure = {
    shape: print(tree, true, { left: 2_000 }),
    text: shorten(printed, MAX_PRINTED),
    branches: tree.k === "union" ? tree.parts.map((p) => shorten(print(p, false, { left: 200 }), MAX_PRINTED)) : [shorten(printed, MAX_PRINTED)],
    alwaysTrue: [],
    alternatives: [],
  };
  collect(tree, facts);
  return { ok: true, structure: facts, summary: facts.text };
}

function compareXpath(benign: XpathStructure, attack: XpathStructure): Change[] {
  const changes: Change[] = [];
  if (attack.branches.length > benign.branches.length) {
    const extra = attack.branches.slice(1).filter((b) => !benign.branches.includes(b));
    changes.push({
      rank: 3,
      words: `the expression now also selects ${extra.map((b) => shorten(b, 60)).join(" | ") || "another path"} (a union branch the payload added)`,
    });
  }
  if (attack.alwaysTrue.length > benign.alwaysTrue.length) {
    changes.push({
      rank: 3,
      words: `the condition ${shorten(attack.alwaysTrue[attack.alwaysTrue.length - 1]!, 160)} is now always true, so its predicate holds for every node`,
    });
  } else if (attack.alternatives.length > benign.alternatives.length) {
    changes.push({ rank: 2, words: `the payload added an alternative condition: ${shorten(attack.alternatives[attack.alternatives.length - 1]!, 160)}` });
  }
  if (changes.length === 0 && attack.shape !== benign.shape) {
    changes.push({ rank: 1, words: `the expression changed beyond the value: ${shorten(benign.text, 120)} became ${shorten(attack.text, 120)}` });
  }
  return changes;
}
