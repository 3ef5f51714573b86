/**
 * NoSQL operator injection fixes: a field of a query document that takes its value from the
 * request or from a parameter (`User.findOne({ email: req.body.email })`) compares with an
 * explicit `$eq` (`{ email: { $eq: req.body.email } }`). A string, number or ObjectId matches
 * what it matched before; an object the request sends (`{"$ne": null}`) is compared as a literal
 * value instead of being read as an operator. Values the code computes itself (constants,
 * locals, operator objects it builds) are left alone. A query document that is the request's as
 * a whole, or whose data sits in JavaScript the server runs (`$where`), gets no mechanical fix.
 *
 * The equivalence check renders the original and the patched document with benign input and the
 * attack and reads them with the NoSQL prover: the patched query has the original's fields and
 * operators plus one `$eq` per field it wraps, and the payload adds no operator to it.
 */
import { literalString, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { createNosqlProver } from "../simulator/nosql";
import { BENIGN } from "../simulator/payloads";
import type { FixCheck } from "../types";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";
import type { Edit } from "./patch";
import { constInit } from "./sink-text";

/** The attack tried when the finding's proof gave none. */
const DEFAULT_PAYLOAD = '{"$ne": null}';
/** Names of the request objects of the common frameworks. */
const REQUEST_ROOTS = /^(req|request|ctx|event)$/;
const LOGICAL = new Set(["$and", "$or", "$nor"]);
const SERVER_JS = new Set(["$where", "$function", "$accumulator"]);

/** The query document a sink call receives: its first argument written as an object, or a `const` holding one. */
function queryDocument(call: JsNode, ancestors: readonly JsNode[]): JsNode | null {
  const arg = call.type === "CallExpression" ? call.arguments?.[0] : null;
  if (!arg) return null;
  let node = unwrap(arg);
  if (node.type === "Identifier") node = unwrap(constInit(node, ancestors) ?? node);
  return node.type === "ObjectExpression" ? node : null;
}

/** The parameter names of the functions around the sink. */
function parameterNames(ancestors: readonly JsNode[]): Set<string> {
  const names = new Set<string>();
  for (const a of ancestors) {
    if (!FUNCTION_TYPES.has(a.type)) continue;
    for (const p of a.params as JsNode[]) {
      const id = p.type === "AssignmentPattern" ? p.left : p;
      if (id.type === "Identifier") names.add(id.name);
    }
  }
  return names;
}

/** A value that comes from outside the function: a parameter or the request, or a `const` read from one. */
function isOutsideData(node: JsNode, params: ReadonlySet<string>, ancestors: readonly JsNode[], depth = 0): boolean {
  let n = unwrap(node);
  while (n.type === "MemberExpression") n = unwrap(n.object);
  if (n.type !== "Identifier") return false;
  if (params.has(n.name) || REQUEST_ROOTS.test(n.name)) return true;
  const init = depth < 4 ? constInit(n, ancestors) : null;
  const value = init ? unwrap(init) : null;
  return !!value && (value.type === "Identifier" || value.type === "MemberExpression") && isOutsideData(value, params, ancestors, depth + 1);
}

/** The field values of a query document (and of the documents in its `$and`/`$or`) that hold outside data, with their properties. */
function dataFields(doc: JsNode, params: ReadonlySet<string>, ancestors: readonly JsNode[]): { fields: JsNode[]; serverJs: boolean } {
  const fields: JsNode[] = [];
  let serverJs = false;
  const visit = (object: JsNode, depth: number): void => {
    if (depth > 8) return;
    for (const p of object.properties as JsNode[]) {
      if (p.type !== "Property" || p.computed) continue;
      const key = p.key.type === "Identifier" ? p.key.name : String(p.key.value);
      const value = unwrap(p.value);
      if (SERVER_JS.has(key) && literalString(value) === null) serverJs = true;
      else if (LOGICAL.has(key) && value.type === "ArrayExpression") {
        for (const e of value.elements as Array<JsNode | null>) if (e && unwrap(e).type === "ObjectExpression") visit(unwrap(e), depth + 1);
      } else if (!key.startsWith("$") && isOutsideData(value, params, ancestors)) fields.push(p);
    }
  };
  visit(doc, 0);
  return { fields, serverJs };
}

function nosqlPatch(sink: SinkSite): Patch {
  const doc = queryDocument(sink.node, sink.ancestors);
  if (!doc) {
    return {
      reason:
        "the query document is not written as an object in the call (the request's data may be the whole document): build it from the fields the query expects",
    };
  }
  const { fields, serverJs } = dataFields(doc, parameterNames(sink.ancestors), sink.ancestors);
  if (serverJs) return { reason: "the data is in JavaScript the database server runs (`$where`, `$function`): rewrite the condition with query operators" };
  if (fields.length === 0) return { reason: "no field of the query document takes its value from a parameter or the request where the fix can see it" };
  const src = (n: JsNode) => sink.source.slice(n.start, n.end);
  const edits: Edit[] = fields.map((p) => {
    const value = src(p.value);
    return p.shorthand
      ? { start: p.start, end: p.end, text: `${value}: { $eq: ${value} }` }
      : { start: p.value.start, end: p.value.end, text: `{ $eq: ${value} }` };
  });
  const names = fields.map((p) => `\`${p.key.type === "Identifier" ? p.key.name : String(p.key.value)}\``).join(", ");
  return {
    edits,
    description: `Compares ${names} with an explicit \`$eq\`, so an object in the request is matched as a value instead of being read as a query operator.`,
  };
}

/** A document's source with each of `holes` replaced by `value` (a shorthand property's whole property, as `key: value`). */
function render(doc: JsNode, holes: ReadonlyArray<{ node: JsNode; key?: string }>, source: string, value: string): string {
  let out = "";
  let at = doc.start;
  for (const h of [...holes].sort((a, b) => a.node.start - b.node.start)) {
    out += source.slice(at, h.node.start) + (h.key ? `${h.key}: ${value}` : value);
    at = h.node.end;
  }
  return out + source.slice(at, doc.end);
}

/** A field's value as a hole to render: shorthand properties (`{ email }`) are replaced whole. */
function holeOf(p: JsNode): { node: JsNode; key?: string } {
  return p.shorthand ? { node: p, key: p.key.name } : { node: p.value };
}

/** In the patched document, the values under `{ $eq: … }` of each field the original took from outside. */
function eqValues(doc: JsNode, keys: ReadonlySet<string>): JsNode[] {
  const out: JsNode[] = [];
  const visit = (object: JsNode, depth: number): void => {
    if (depth > 8) return;
    for (const p of object.properties as JsNode[]) {
      if (p.type !== "Property" || p.computed) continue;
      const key = p.key.type === "Identifier" ? p.key.name : String(p.key.value);
      const value = unwrap(p.value);
      if (LOGICAL.has(key) && value.type === "ArrayExpression") {
        for (const e of value.elements as Array<JsNode | null>) if (e && unwrap(e).type === "ObjectExpression") visit(unwrap(e), depth + 1);
      } else if (keys.has(key) && value.type === "ObjectExpression" && value.properties.length === 1) {
        const eq = value.properties[0];
        if (eq.type === "Property" && !eq.computed && (eq.key.name ?? eq.key.value) === "$eq") out.push(eq.value);
      }
    }
  };
  visit(doc, 0);
  return out;
}

function nosqlEquivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Equivalence {
  const before = queryDocument(original.node, original.ancestors);
  const after = queryDocument(patched.node, patched.ancestors);
  if (!before) return { outcome: "unknown", evidence: "the original query document could not be read back" };
  if (!after) return { outcome: "different", evidence: "the patched query document could not be read back" };
  const { fields } = dataFields(before, parameterNames(original.ancestors), original.ancestors);
  const keyList = fields.map((p) => (p.key.type === "Identifier" ? p.key.name : String(p.key.value)));
  const holes = eqValues(after, new Set(keyList));
  // What the patched query still takes from outside unwrapped: the payload goes there too.
  const open = dataFields(after, parameterNames(patched.ancestors), patched.ancestors).fields.map(holeOf);
  const benignValue = BENIGN["nosql-value"];
  const attack = payload || DEFAULT_PAYLOAD;
  const prover = createNosqlProver();
  const beforeText = render(before, fields.map(holeOf), original.source, benignValue);
  const patchedHoles = [...holes.map((node) => ({ node })), ...open];
  const benignText = render(after, patchedHoles, patched.source, benignValue);
  const attackText = render(after, patchedHoles, patched.source, attack);
  const a = prover.analyze(beforeText);
  const b = prover.analyze(benignText);
  const c = prover.analyze(attackText);
  if (!a.ok) return { outcome: "unknown", evidence: `the original query document does not parse with benign input: ${a.message}` };
  if (!b.ok || !c.ok) return { outcome: "different", evidence: `the patched query document does not parse: ${!b.ok ? b.message : !c.ok ? c.message : ""}` };
  const expected = [...a.structure.operators, ...keyList.map((k) => `$eq at ${k}`)].sort();
  if (
    JSON.stringify(a.structure.fields) !== JSON.stringify(b.structure.fields) ||
    JSON.stringify([...b.structure.operators].sort()) !== JSON.stringify(expected)
  ) {
    return { outcome: "different", evidence: `with benign input the patched query reads ${b.summary} where the original read ${a.summary}` };
  }
  const changes = prover.compare(b.structure, c.structure);
  if (changes.length > 0) return { outcome: "different", evidence: `the payload still changes the patched query: ${changes.map((x) => x.words).join("; ")}` };
  const check: FixCheck = {
    payload: attack,
    before: { input: benignValue, rendered: beforeText, structure: a.summary },
    benign: { input: benignValue, rendered: benignText, structure: b.summary },
    attack: { input: attack, rendered: attackText, structure: c.summary },
    parser: prover.parser,
  };
  return {
    outcome: "same",
    evidence: `With benign input the patched query has the original's fields (${b.structure.fields.join(", ")}), each value now compared with an explicit \`$eq\`, which matches a plain value as before; the payload ${JSON.stringify(attack)} is compared as a value under \`$eq\` and adds no operator.`,
    check,
  };
}

export const NOSQL_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression"]),
  patch: nosqlPatch,
  equivalence: (original, patched, payload) => Promise.resolve(nosqlEquivalence(original, patched, payload)),
};
