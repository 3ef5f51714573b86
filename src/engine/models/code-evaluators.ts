/**
 * Libraries that evaluate code or expressions handed to them as text: the vm2 sandbox (whose
 * escapes are public, so code it runs is code the attacker runs), safe-eval (a thin `vm`
 * wrapper), static-eval (an interpreter for an AST, parsed from the attacker's text), math.js
 * (`evaluate` ran arbitrary JavaScript before 3.11 and still evaluates whatever the expression
 * language allows), and serialize-javascript, whose output is JavaScript: safe to put in a page
 * while it escapes `<`, `>` and `/`, and not once `unsafe: true` turns that off.
 */
import { CODE, HTML } from "../taint/kinds";
import { F_SYM, sanitize, taintedValue, UNKNOWN, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, SummaryRow, TypeRow } from "./rows";
import { optionIsTrue } from "./sink-report";

/**
 * `serialize(x, options)`: JavaScript text for `x`. Strings in it are escaped for a `<script>`
 * element and for `eval`, unless `unsafe: true`.
 */
function serialised(_host: ModelHost, site: CallSite): Value {
  const first = site.args[0];
  if (!first?.taint) return UNKNOWN;
  const text = taintedValue(first.taint.with({ obj: false }), first.flags & F_SYM);
  return optionIsTrue(site.args[1], ["unsafe"]) ? text : sanitize(text, HTML | CODE);
}

const MATHJS = ["evaluate", "eval", "compile", "parse"].map((f): SinkRow => ({
  call: `mathjs:${f}`,
  argument: 0,
  rule: "code-injection",
  what: "as a math.js expression (arbitrary JavaScript before math.js 3.11; later versions still evaluate any function the instance exposes)",
  // The version decides whether this is code execution; a file does not say which is installed.
  mode: "any",
  confidence: "medium",
}));

const SINKS: SinkRow[] = [
  // new VM().run(code), new NodeVM().run(code, file), new VMScript(code).
  { call: "vm2:run", argument: 0, rule: "code-injection", what: "as JavaScript run in a vm2 sandbox (vm2 has public sandbox escapes)", mode: "text" },
  {
    call: "vm2:VMScript",
    argument: 0,
    rule: "code-injection",
    what: "as JavaScript compiled for a vm2 sandbox (vm2 has public sandbox escapes)",
    mode: "text",
  },
  {
    call: "safe-eval:",
    argument: 0,
    rule: "code-injection",
    what: "as JavaScript run by safe-eval (a node:vm context, not a security boundary)",
    mode: "text",
  },
  // The argument is an AST parsed from the attacker's text: no text template to prove.
  {
    call: "static-eval:",
    argument: 0,
    rule: "code-injection",
    what: "as an expression tree static-eval interprets (versions before 2.0.2 reach the Function constructor)",
    mode: "any",
    confidence: "medium",
  },
  ...MATHJS,
];

const TYPES: TypeRow[] = [
  { call: "vm2:VM", returns: "module" },
  { call: "vm2:NodeVM", returns: "module" },
  // A configured math.js instance has the same functions: create(all).evaluate(x).
  { call: "mathjs:create", returns: "module" },
];

const SUMMARIES: SummaryRow[] = [
  // A JavaScript parser's AST of attacker text is a tree the attacker shapes (what static-eval then runs).
  ...[
    "esprima:parse",
    "esprima:parseScript",
    "esprima:parseModule",
    "acorn:parse",
    "acorn:parseExpressionAt",
    "espree:parse",
    "@babel/parser:parse",
    "@babel/parser:parseExpression",
  ].map((call): SummaryRow => ({ call, returns: "parsed" })),
  { call: "serialize-javascript:", effect: serialised },
  { call: "serialize-javascript:default", effect: serialised },
];

export const model: LibraryModel = {
  id: "code-evaluators",
  description: "Libraries that evaluate code or expressions: vm2, safe-eval, static-eval, math.js, and serialize-javascript's output.",
  fixtures: ["code-injection/report-sandbox.js", "code-injection/formula-service.ts", "code-injection/checkout-state.js"],
  types: TYPES,
  summaries: SUMMARIES,
  sinks: SINKS,
};
