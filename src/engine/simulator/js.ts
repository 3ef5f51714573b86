/**
 * Code injection prover for strings that become JavaScript: `eval`, `new Function`, `vm.run*`,
 * and `setTimeout`/`setInterval` with a string. Both renderings are parsed with acorn as a
 * script (a `Function` body may `return`) and reduced to their statement count and the calls
 * they make; the attack is proven when it makes a call, or runs a statement, the benign text
 * does not. The code is parsed only, never evaluated.
 */
import { Parser, version as acornVersion } from "acorn";
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

export interface JsStructure {
  statements: number;
  /** The callee of every call, `new` and tagged template, as written (shortened). */
  calls: string[];
}

// ESTree nodes from acorn are plain objects keyed by type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

const MAX_NODES = 200_000;
const MAX_CALLEE = 60;

/** A prover for text evaluated as JavaScript. */
export function createJsProver(): Prover<JsStructure> {
  return { parser: { name: "acorn", version: acornVersion }, analyze: analyzeJs, compare: compareJs };
}

/** Parses JavaScript as a script; a message instead of an AST when it does not parse. */
export function parseScript(text: string): { ok: true; program: Node } | { ok: false; message: string } {
  try {
    const program = Parser.parse(text, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: true });
    return { ok: true, program };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, message: "nesting too deep to parse" };
    return { ok: false, message: shorten(String((error as Error).message ?? error), 200) };
  }
}

function analyzeJs(text: string): Analysis<JsStructure> {
  const parsed = parseScript(text);
  if (!parsed.ok) return parsed;
  const structure = readProgram(parsed.program, text);
  return { ok: true, structure, summary: summarize(structure) };
}

/**
 * The statement count and calls of a parsed program, in source order (bounded walk). `text` is
 * the source the node offsets point into.
 */
export function readProgram(program: Node, text: string): JsStructure {
  const structure: JsStructure = { statements: 0, calls: [] };
  const calls: Array<{ at: number; text: string }> = [];
  const stack: Node[] = [program];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let k = node.length - 1; k >= 0; k--) stack.push(node[k]);
      continue;
    }
    if (!node || typeof node.type !== "string") continue;
    if (/Statement$|Declaration$/.test(node.type) && node.type !== "BlockStatement") structure.statements++;
    const callee =
      node.type === "CallExpression" || node.type === "NewExpression" ? node.callee : node.type === "TaggedTemplateExpression" ? node.tag : undefined;
    if (callee) calls.push({ at: node.start, text: (node.type === "NewExpression" ? "new " : "") + shorten(text.slice(callee.start, callee.end), MAX_CALLEE) });
    if (node.type === "ImportExpression") calls.push({ at: node.start, text: "import" });
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (value && typeof value === "object") stack.push(value);
    }
  }
  structure.calls = calls.sort((a, b) => a.at - b.at).map((c) => c.text);
  return structure;
}

/** New calls (decisive), else new statements. */
export function compareJs(benign: JsStructure, attack: JsStructure): Change[] {
  const calls = added(benign.calls, attack.calls);
  if (calls.length > 0) {
    return [{ rank: 3, words: `the payload added ${calls.length === 1 ? "a call" : `${calls.length} calls`}: ${calls.map((c) => c + "(…)").join(", ")}` }];
  }
  if (attack.statements > benign.statements) {
    const n = attack.statements - benign.statements;
    return [{ rank: 2, words: `the payload added ${n} statement${n === 1 ? "" : "s"}` }];
  }
  return [];
}

function summarize(s: JsStructure): string {
  const statements = `${s.statements} statement${s.statements === 1 ? "" : "s"}`;
  if (s.calls.length === 0) return `${statements}, no calls`;
  return `${statements}; calls: ${s.calls.slice(0, 10).join(", ")}${s.calls.length > 10 ? ", …" : ""}`;
}
