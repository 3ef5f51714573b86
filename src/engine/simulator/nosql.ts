/**
 * NoSQL (MongoDB-style) operator injection prover.
 *
 * Template format: the parts render to the query document as written in the source — JSON or
 * a JavaScript object literal (`{ user: <hole>, pass: <hole> }`, unquoted keys and single quotes
 * allowed). A template that is one hole is a whole document from request data (`find(req.body)`).
 * Any other hole outside quotes stands for a whole value taken from request data; since a
 * parsed JSON body or a `qs` query string (`user[$ne]=`) can hold an object there, the attack
 * renders an operator object in its place (`{"$ne": null}`). A hole inside quotes is a string
 * spliced into JSON text, and the attack breaks out of the string instead.
 *
 * The document is parsed with acorn as an expression (parsed, never evaluated) and reduced to
 * its fields and the query operators at work, read the way the database reads them: a `$` key of
 * the top-level document or of a field's value object is an operator; `$and`/`$or`/`$nor` hold
 * further documents; inside arrays given to `$in`, `$nin`, `$all` or to a plain field, and inside
 * embedded documents, objects are compared literally. The attack is proven when an operator
 * appears that the benign document did not have.
 *
 * What the database receives decides how a hole is rendered (taint/template.ts writes the
 * templates): a query document is data, so a hole outside quotes is a whole value (an object
 * only when the request can supply one), and text the program concatenates into a field's value
 * stays a string — it never becomes a hole here, since no payload can leave it. A hole inside
 * quotes appears only when the program itself builds the document as JSON text. JavaScript the
 * server runs (`$where`, `$function`/`$accumulator` bodies, mapReduce functions) is text: its
 * template is that JavaScript alone and it is proven by the server-JavaScript prover below.
 */
import { Parser, version as acornVersion } from "acorn";
import { compareJs, parseScript, readProgram, type JsStructure } from "./js";
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

export interface NosqlStructure {
  fields: string[];
  /** "$ne at user" — operator and the field it applies to ("(query)" at top level). */
  operators: string[];
}

// ESTree nodes from acorn.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

/** Operators whose array value holds further query documents. */
const LOGICAL = new Set(["$and", "$or", "$nor"]);
/** Operators valid only at the top of a query document (MongoDB rejects them in a field's value). */
const TOP_LEVEL_ONLY = new Set(["$where", "$expr", "$and", "$or", "$nor", "$text", "$comment", "$jsonSchema"]);
/** Operators whose object value is again an operator expression. */
const NESTED_OPERATORS = new Set(["$not", "$elemMatch"]);

const WHAT_IT_DOES: Record<string, string> = {
  $ne: "matches every document whose value differs (an authentication bypass)",
  $nin: "matches every document whose value is not listed",
  $gt: "matches a range instead of one value",
  $gte: "matches a range instead of one value",
  $lt: "matches a range instead of one value",
  $lte: "matches a range instead of one value",
  $regex: "matches a pattern the attacker chooses",
  $where: "runs JavaScript on the database server",
  $function: "runs JavaScript on the database server",
  $accumulator: "runs JavaScript on the database server",
  $expr: "evaluates an attacker-written expression",
  $or: "adds alternative conditions",
  $exists: "matches on the field's presence instead of its value",
};

const MAX_NODES = 100_000;
const MAX_DEPTH = 200;

/** A prover for query documents. */
export function createNosqlProver(): Prover<NosqlStructure> {
  return { parser: { name: "acorn", version: acornVersion }, analyze: analyzeNosql, compare: compareNosql };
}

function analyzeNosql(text: string): Analysis<NosqlStructure> {
  let root: Node;
  try {
    root = Parser.parseExpressionAt(text, 0, { ecmaVersion: "latest" });
  } catch (error) {
    return { ok: false, message: error instanceof RangeError ? "nesting too deep to parse" : shorten(String((error as Error).message), 200) };
  }
  if (text.slice(root.end).trim() !== "") return { ok: false, message: "text after the query document" };
  if (root.type !== "ObjectExpression") return { ok: false, message: "not a query document (object)" };
  const structure: NosqlStructure = { fields: [], operators: [] };
  const budget = { nodes: 0 };
  visit(root, "", "query", structure, budget, 0);
  const ops = structure.operators.length > 0 ? structure.operators.join(", ") : "none";
  return { ok: true, structure, summary: `fields: ${shorten(structure.fields.join(", ") || "none", 300)}; operators: ${shorten(ops, 300)}` };
}

function compareNosql(benign: NosqlStructure, attack: NosqlStructure): Change[] {
  return added(benign.operators, attack.operators).map((entry) => {
    const op = entry.split(" ")[0]!;
    return { rank: 3, words: `the query now holds the operator ${entry}, which ${WHAT_IT_DOES[op] ?? "the attacker chose"}` };
  });
}

/**
 * `mode` says how the database reads the node: a query document, a field's value (where `$`
 * keys are operators), or a literal.
 */
function visit(node: Node, path: string, mode: "query" | "value" | "literal", out: NosqlStructure, budget: { nodes: number }, depth: number): void {
  if (!node || ++budget.nodes > MAX_NODES || depth > MAX_DEPTH) return;
  if (node.type === "ArrayExpression") {
    for (const element of node.elements) visit(element, path, mode === "query" ? "query" : "literal", out, budget, depth + 1);
    return;
  }
  if (node.type !== "ObjectExpression" || mode === "literal") return;
  for (const property of node.properties) {
    // `{ ...body }`: the spread object's keys become this object's.
    if (property.type === "SpreadElement") {
      visit(property.argument, path, mode, out, budget, depth + 1);
      continue;
    }
    if (property.type !== "Property") continue;
    const key = property.computed ? "<computed>" : property.key.type === "Identifier" ? property.key.name : String(property.key.value);
    // $where, $expr, $and… apply to whole documents only; inside a field's value the server rejects them.
    if (key.startsWith("$") && mode === "value" && TOP_LEVEL_ONLY.has(key)) continue;
    if (key.startsWith("$")) {
      out.operators.push(`${key} at ${path || "(query)"}`);
      const next = LOGICAL.has(key) ? "query" : NESTED_OPERATORS.has(key) ? "value" : "literal";
      visit(property.value, path, next, out, budget, depth + 1);
    } else if (mode === "query") {
      const field = path ? `${path}.${key}` : key;
      out.fields.push(shorten(field, 80));
      visit(property.value, field, "value", out, budget, depth + 1);
    }
    // A non-$ key in a field's value object makes it an embedded document, matched literally.
  }
}

// Server-side JavaScript ------------------------------------------------------------------------

export interface ServerJsStructure extends JsStructure {
  /** The operand that makes the returned condition always true (`'1'=='1'`, `true`), if any. */
  alwaysTrue: string | null;
}

/**
 * A prover for the JavaScript a MongoDB server runs: a `$where` string, a `$function` or
 * `$accumulator` body, a mapReduce function. The server takes a string that is a function
 * expression as that function, and any other string as a function body whose last expression
 * statement is the result (`this.a == 1` is `function () { return this.a == 1 }`). Both renderings
 * are parsed with acorn that way (never run); the attack is proven when it adds a call
 * (`sleep(…)`, `this.constructor.constructor(…)()`) or makes the result always true (`' || '1'=='1`).
 */
export function createServerJsProver(): Prover<ServerJsStructure> {
  return { parser: { name: "acorn", version: acornVersion }, analyze: analyzeServerJs, compare: compareServerJs };
}

function analyzeServerJs(text: string): Analysis<ServerJsStructure> {
  // A function given whole is parsed as an expression; the newline ends a trailing line comment.
  const source = /^\s*(?:async\s+)?function\b/.test(text) ? `(${text}\n)` : text;
  const parsed = parseScript(source);
  if (!parsed.ok) return parsed;
  const structure: ServerJsStructure = { ...readProgram(parsed.program, source), alwaysTrue: null };
  for (const result of resultsOf(parsed.program)) {
    const operand = constantTrueOperand(result, 0);
    if (operand) {
      structure.alwaysTrue = shorten(source.slice(operand.start, operand.end), 60);
      break;
    }
  }
  const calls = structure.calls.length === 0 ? "no calls" : `calls: ${structure.calls.slice(0, 10).join(", ")}`;
  return { ok: true, structure, summary: `${calls}; result ${structure.alwaysTrue ? `always true (${structure.alwaysTrue})` : "depends on the document"}` };
}

function compareServerJs(benign: ServerJsStructure, attack: ServerJsStructure): Change[] {
  const changes = compareJs(benign, attack).map((c) => ({ ...c, words: c.words.replace("the payload added", "the server-side JavaScript now runs") }));
  if (attack.alwaysTrue && !benign.alwaysTrue) {
    changes.push({ rank: 3, words: `the server-side JavaScript condition is now always true (${attack.alwaysTrue}), so it matches every document` });
  }
  return changes;
}

/**
 * The expressions whose value the server uses: what `return` statements return, the last
 * top-level expression statement, and the same inside a function expression given whole.
 */
function resultsOf(program: Node): Node[] {
  const out: Node[] = [];
  let body: Node[] = program.body ?? [];
  const only = body.length === 1 && body[0].type === "ExpressionStatement" ? body[0].expression : null;
  if (only && (only.type === "FunctionExpression" || only.type === "ArrowFunctionExpression")) {
    if (only.body.type !== "BlockStatement") return [only.body];
    body = only.body.body;
  }
  const last = body[body.length - 1];
  if (last?.type === "ExpressionStatement") out.push(last.expression);
  // Return statements at any depth of the function body (bounded walk, not into nested functions).
  const stack: Node[] = [...body];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES) {
    const node = stack.pop();
    if (!node || typeof node.type !== "string" || /Function/.test(node.type)) continue;
    if (node.type === "ReturnStatement" && node.argument) out.push(node.argument);
    for (const key of ["body", "consequent", "alternate", "block", "handler", "finalizer", "cases"]) {
      const child = node[key];
      if (Array.isArray(child)) stack.push(...child);
      else if (child && typeof child === "object") stack.push(child);
    }
  }
  return out;
}

/** An operand of a top-level `||` chain that is constant and truthy, or the expression itself when it is. */
function constantTrueOperand(node: Node, depth: number): Node {
  if (!node || depth > 50) return null;
  if (node.type === "LogicalExpression" && node.operator === "||") {
    return constantTrueOperand(node.left, depth + 1) ?? constantTrueOperand(node.right, depth + 1);
  }
  const value = constantValue(node, 0);
  return value.known && value.value ? node : null;
}

/** The value of an expression made only of literals and operators on them (never evaluates code). */
function constantValue(node: Node, depth: number): { known: boolean; value?: unknown } {
  const unknown = { known: false };
  if (!node || depth > 20) return unknown;
  switch (node.type) {
    case "Literal":
      return node.regex ? unknown : { known: true, value: node.value };
    case "UnaryExpression": {
      const v = constantValue(node.argument, depth + 1);
      if (!v.known) return unknown;
      if (node.operator === "!") return { known: true, value: !v.value };
      if (node.operator === "-" && typeof v.value === "number") return { known: true, value: -v.value };
      return unknown;
    }
    case "BinaryExpression": {
      const l = constantValue(node.left, depth + 1);
      const r = constantValue(node.right, depth + 1);
      if (!l.known || !r.known) return unknown;
      switch (node.operator) {
        case "==":
          return { known: true, value: l.value == r.value };
        case "===":
          return { known: true, value: l.value === r.value };
        case "!=":
          return { known: true, value: l.value != r.value };
        case "!==":
          return { known: true, value: l.value !== r.value };
        default:
          return unknown;
      }
    }
    case "LogicalExpression": {
      const l = constantValue(node.left, depth + 1);
      const r = constantValue(node.right, depth + 1);
      if (node.operator === "||" && l.known && l.value) return l;
      if (node.operator === "&&" && l.known && r.known) return { known: true, value: l.value && r.value };
      if (node.operator === "||" && l.known && r.known) return r;
      return unknown;
    }
    default:
      return unknown;
  }
}
