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
 */
import { Parser, version as acornVersion } from "acorn";
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
    if (property.type !== "Property") continue;
    const key = property.computed ? "<computed>" : property.key.type === "Identifier" ? property.key.name : String(property.key.value);
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
