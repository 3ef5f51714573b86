/**
 * SQL injection fixes: SQL text built by concatenation or a template becomes constant text with
 * the client's placeholders, and the data goes to the client as bound values (mysql/mysql2 `?`
 * and a values array, pg and postgres.js `$n`, better-sqlite3 statement arguments, D1 `bind`,
 * sqlite3 parameters, Sequelize `replacements`, knex bindings, TypeORM named parameters, Prisma's
 * `$queryRaw` tagged template). A value inside a quoted SQL string loses its quotes with the
 * rest of the string's text moving into the bound value (`LIKE '%" + q + "%'` → `LIKE ?` with
 * `"%" + q + "%"`); data used as a name or as SQL syntax (a column, ORDER BY, a whole
 * statement) has no placeholder and gets no mechanical fix.
 *
 * The equivalence check reads the patched code's SQL text back (sink-text.ts) and parses it with
 * each placeholder bound, as the client would send it, next to the original text with the same
 * benign input: a fix that changes what the query does has a different structure.
 */
import type { JsNode } from "../parse/js";
import { FRAGMENT_PREFIX } from "../models/sql-clients";
import { tokenizeSql, type SqlToken } from "../parse/sql-tokens";
import { detectContext, type ContextId } from "../simulator/context";
import { BENIGN } from "../simulator/payloads";
import { createSqlProver } from "../simulator/sql";
import type { SqlDialect } from "../types";
import type { Edit } from "./patch";
import type { Equivalence, FixKind, Patch, SinkSite } from "./fix-kind";
import { sinkText, sourceOffset, textPieces, type SinkText, type TextPiece } from "./sink-text";

/** How a client takes bound values. */
type Binding =
  /** A values array after the text: `query(text, [a, b])`, `raw(text, [a])`, `unsafe(text, [a])`. */
  | "array"
  /** Sequelize: `query(text, { replacements: [a] })`. */
  | "replacements"
  /** TypeORM query builders: `where("x = :x", { x })`. */
  | "named"
  /** A prepared statement's run call: better-sqlite3 `prepare(text).get(a)`, D1 `prepare(text).bind(a).all()`. */
  | "statement"
  /** Prisma: `$queryRawUnsafe(text)` → `` $queryRaw`… ${a}` ``. */
  | "tagged";

interface SqlCall {
  call: JsNode;
  method: string;
  /** The callee's object as written (`pool`, `env.DB`), empty for a plain function call. */
  receiver: string;
  dialect: SqlDialect | undefined;
}

/** A client's calls, how they take values, and the placeholder they use. */
interface ClientRow {
  name: string;
  matches: (c: SqlCall) => boolean;
  binding: Binding;
  placeholder: "?" | "$n" | ":name" | "${}";
}

const BUILDER_CONDITIONS = new Set(["where", "andWhere", "orWhere", "having", "andHaving", "orHaving"]);
const SQLITE3_RUN = new Set(["all", "get", "run", "each"]);

/** Which client a sink call is, in order: the first row that matches decides. */
const SQL_CLIENT_ROWS: readonly ClientRow[] = [
  { name: "Prisma", matches: (c) => c.method === "$queryRawUnsafe" || c.method === "$executeRawUnsafe", binding: "tagged", placeholder: "${}" },
  { name: "postgres.js", matches: (c) => c.method === "unsafe", binding: "array", placeholder: "$n" },
  { name: "knex", matches: (c) => c.method === "raw" || (c.method.endsWith("Raw") && c.method !== "$queryRaw"), binding: "array", placeholder: "?" },
  { name: "TypeORM query builder", matches: (c) => BUILDER_CONDITIONS.has(c.method), binding: "named", placeholder: ":name" },
  { name: "Sequelize", matches: (c) => c.method === "query" && /sequelize/i.test(c.receiver), binding: "replacements", placeholder: "?" },
  { name: "a prepared statement", matches: (c) => c.method === "prepare", binding: "statement", placeholder: "?" },
  { name: "pg", matches: (c) => (c.method === "query" || c.method === "execute") && c.dialect === "postgresql", binding: "array", placeholder: "$n" },
  {
    name: "mysql",
    matches: (c) => (c.method === "query" || c.method === "execute") && (c.dialect === "mysql" || c.dialect === "mariadb"),
    binding: "array",
    placeholder: "?",
  },
  { name: "sqlite3", matches: (c) => SQLITE3_RUN.has(c.method) && c.dialect === "sqlite", binding: "array", placeholder: "?" },
];

/** One bound value: constant text and expressions concatenated, or one expression. */
interface BoundValue {
  parts: Array<{ text: string } | { node: JsNode }>;
  /** After LIMIT/OFFSET: bound as a number. */
  numeric: boolean;
  /** A list joined into the text (`ids.join(",")`), bound as the array itself (mysql expands it). */
  list?: JsNode;
}

/** A place in the sink's text: a piece (index into its TextPiece list) and a character of it. */
interface Cut {
  piece: number;
  at: number;
}

/**
 * The new text, piece by piece. Plain text remembers where in the original pieces it starts
 * (`from`), and a placeholder the original text it stands for (`cut`: from a place to a place, or
 * to the end of an expression that ends the text), so a patch can edit just those spans and keep
 * the rest as written.
 */
type OutPiece =
  | { text: string; from?: Cut }
  | { named: JsNode; text: string }
  | { placeholder: number; cut: { start: Cut; end: Cut | "end" } | null }
  /** Data an allowlist now chooses (an ORDER BY column or direction): `code` replaces the expression `node`; `text` is its benign value. */
  | { allowed: JsNode; code: string; text: string };

/** The sink call a finding points at, read as a client call. */
function sqlCall(call: JsNode, source: string, dialect: SqlDialect | undefined): SqlCall | null {
  const callee = call.callee;
  if (call.type !== "CallExpression" || callee?.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return null;
  return { call, method: callee.property.name, receiver: source.slice(callee.object.start, callee.object.end), dialect };
}

/** The dialect the client speaks: the model's, else the one its placeholders imply. */
function dialectOf(site: SqlCall, row: ClientRow | undefined): SqlDialect {
  return site.dialect ?? (row?.placeholder === "$n" ? "postgresql" : "mysql");
}

export const SQL_FIX: FixKind = {
  sinkTypes: new Set(["CallExpression", "TaggedTemplateExpression"]),
  patch(sink: SinkSite): Patch {
    const site = sqlCall(sink.node, sink.source, sink.dialect);
    return site ? sqlPatch(site, sink.ancestors, sink.source) : { reason: "the SQL sink is not a method call the fix can rewrite" };
  },
  async equivalence(original: SinkSite, patched: SinkSite, payload: string | undefined): Promise<Equivalence> {
    const site = sqlCall(original.node, original.source, original.dialect);
    const arg = site?.call.arguments[0];
    const before = arg ? sinkText(arg, original.ancestors, original.source) : null;
    if (!site || !before || "reason" in before) return { outcome: "unknown", evidence: "the original SQL text could not be read back" };
    const tagged = patched.node.type === "TaggedTemplateExpression";
    const patchedArg = tagged ? patched.node : patched.node.arguments?.[0];
    const after = patchedArg ? (tagged ? { node: patchedArg } : sinkText(patchedArg, patched.ancestors, patched.source)) : null;
    if (!after || "reason" in after) return { outcome: "different", evidence: "the patched sink's SQL text could not be read back" };
    const dialect = dialectOf(
      site,
      SQL_CLIENT_ROWS.find((r) => r.matches(site)),
    );
    const mismatch = tagged ? null : boundMismatch(patched, after.node, dialect);
    if (mismatch) return { outcome: "different", evidence: mismatch };
    const attack = payload || "' OR '1'='1";
    const result = await sqlEquivalence(
      { node: before.node, ancestors: original.ancestors, method: site.method },
      { node: after.node, ancestors: patched.ancestors, tagged },
      dialect,
      attack,
    );
    if (result.outcome !== "same") return result;
    const rendering = (r: SqlRendering) => ({ input: r.input, rendered: r.text, structure: r.structure });
    return {
      outcome: "same",
      evidence:
        result.attack.text === result.benign.text
          ? `With benign input the patched query has the original's structure (${result.benign.structure}), and the payload ${JSON.stringify(attack)} no longer reaches its text.`
          : `With benign input the patched query has the original's structure (${result.benign.structure}), and the payload ${JSON.stringify(attack)}, bound as a value, leaves it unchanged.`,
      check: { payload: attack, before: rendering(result.before), benign: rendering(result.benign), attack: rendering(result.attack), parser: result.parser },
    };
  },
};

/**
 * Rewrites an SQL sink to bound values.
 *
 * @example
 *   // pool.query("SELECT * FROM cards WHERE owner = '" + req.query.owner + "'")     (mysql2)
 *   // → pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.owner])
 */
function sqlPatch(site: SqlCall, ancestors: readonly JsNode[], source: string): Patch {
  const row = SQL_CLIENT_ROWS.find((r) => r.matches(site));
  if (!row) return { reason: `no mechanical fix for \`${site.receiver}.${site.method}()\`: the client, and so its placeholder style, is not known` };
  const arg = site.call.arguments[0];
  if (!arg) return { reason: "the call has no SQL text argument" };
  const built = sinkText(arg, ancestors, source);
  if ("reason" in built) return built;
  if (row.binding === "tagged" && built.node !== arg)
    return { reason: "Prisma's `$queryRaw` is a tagged template: the text built before the call cannot move into it mechanically" };
  const dialect = dialectOf(site, row);
  const params = parameterise(built.pieces, FRAGMENT_PREFIX[site.method] ?? "", dialect, row, source);
  if ("reason" in params) return params;
  const src = (n: JsNode) => source.slice(n.start, n.end);
  const names = row.placeholder === ":name" ? namesFor(params.values, src) : [];
  const existing = existingParams(built.pieces, dialect);
  const placeholderText = (i: number): string =>
    row.placeholder === "?" ? "?" : row.placeholder === "$n" ? `$${existing.maxNumbered + i + 1}` : row.placeholder === ":name" ? `:${names[i]}` : "";
  const values = params.values.map((v) => valueSource(v, src, built.quote));
  const edits: Edit[] = [];

  if (row.binding === "tagged") {
    if (site.call.arguments.length !== 1) return { reason: "the call already passes values; rewrite it as a `$queryRaw` tagged template by hand" };
    const body = params.out.map((p) => ("placeholder" in p ? "${" + values[p.placeholder] + "}" : templateText(p.text))).join("");
    const method = site.method === "$queryRawUnsafe" ? "$queryRaw" : "$executeRaw";
    edits.push({ start: site.call.callee.property.start, end: site.call.end, text: `${method}\`${body}\`` });
    return {
      edits,
      description: `Runs the query through Prisma's \`${method}\` tagged template, which sends each \`\${…}\` as a bound parameter instead of SQL text.`,
    };
  }

  edits.push(
    ...(spanEdits(params.out, built, placeholderText, source) ?? [
      { start: built.node.start, end: built.node.end, text: printText(params.out, placeholderText, built.template, built.quote, src) },
    ]),
  );
  const allowlisted = params.out.some((p) => "allowed" in p);
  if (values.length === 0) {
    return {
      edits,
      description: "Maps the ORDER BY input through an allowlist of the columns the query selects (and ASC/DESC), so the data can only choose among them.",
    };
  }
  const list = `[${values.join(", ")}]`;
  const args = site.call.arguments as JsNode[];
  switch (row.binding) {
    case "array": {
      const second = args[1] ? unwrapped(args[1]) : null;
      if (!second) edits.push({ start: arg.end, end: arg.end, text: `, ${list}` });
      else if (second.type === "ArrayExpression") {
        const merged = mergeValues(row, params.out, placeholderText, existing, second, values, dialect, src);
        if ("reason" in merged) return merged;
        edits.push({ start: second.start, end: second.end, text: merged.text });
      } else if (isFunction(second)) {
        if (existing.count > 0) return { reason: "the text already has placeholders but the call passes no values" };
        edits.push({ start: second.start, end: second.start, text: `${list}, ` });
      } else return { reason: "the call's second argument is not a values array the fix can extend" };
      break;
    }
    case "replacements": {
      const second = args[1] ? unwrapped(args[1]) : null;
      if (existing.count > 0) return { reason: "the text already has placeholders; add the new values to its replacements by hand" };
      if (!second) edits.push({ start: arg.end, end: arg.end, text: `, { replacements: ${list} }` });
      else if (second.type === "ObjectExpression" && !second.properties.some((p: JsNode) => /^(replacements|bind)$/.test(p.key?.name ?? p.key?.value ?? ""))) {
        edits.push({ start: second.start + 1, end: second.start + 1, text: ` replacements: ${list},` });
      } else return { reason: "the call's options already bind values" };
      break;
    }
    case "named": {
      if (args.length !== 1) return { reason: "the call already passes parameters" };
      const object = names.map((n, i) => (values[i] === n ? n : `${n}: ${values[i]}`)).join(", ");
      edits.push({ start: arg.end, end: arg.end, text: `, { ${object} }` });
      break;
    }
    case "statement": {
      const statement = statementRun(site.call, ancestors);
      if (!statement) return { reason: "the prepared statement is run elsewhere; bind the values where it runs" };
      const runArgs = statement.run.arguments as JsNode[];
      if (existing.count > 0 && runArgs.length !== existing.count) return { reason: "the statement's existing placeholders and values do not line up" };
      if (statement.method === "bind" || runArgs.length > 0 || (statement.method !== "first" && ARGUMENT_CLIENTS.test(source))) {
        const merged = mergeInto(params.out, placeholderText, existing, runArgs, values, dialect, src);
        if ("reason" in merged) return merged;
        edits.push({ start: statement.argsStart, end: statement.argsEnd, text: merged.text });
      } else {
        edits.push({ start: site.call.end, end: site.call.end, text: `.bind(${values.join(", ")})` });
      }
      break;
    }
  }
  return {
    edits,
    description:
      describe(row, params.values.length) + (allowlisted ? " The ORDER BY input is mapped through an allowlist of the columns the query selects." : ""),
  };
}

function describe(row: ClientRow, n: number): string {
  const what = n === 1 ? "the value" : `the ${n} values`;
  switch (row.binding) {
    case "array":
      return `Sends the SQL text as a constant with ${row.placeholder === "$n" ? "`$n`" : "`?`"} placeholders and ${what} as bound parameters (${row.name}).`;
    case "replacements":
      return `Sends the SQL text as a constant with \`?\` placeholders and ${what} as Sequelize replacements, which Sequelize escapes.`;
    case "named":
      return `Sends the condition as a constant with named parameters and ${what} in the parameters object (TypeORM binds them).`;
    default:
      return `Prepares the SQL text as a constant with \`?\` placeholders and binds ${what} to the statement.`;
  }
}

function unwrapped(n: JsNode): JsNode {
  return n.type === "TSAsExpression" || n.type === "TSNonNullExpression" ? unwrapped(n.expression) : n;
}

/** A callback argument: a function written in place, or a variable named like one (`cb`, `done`, `onResult`). */
function isFunction(n: JsNode): boolean {
  return (
    n.type === "ArrowFunctionExpression" ||
    n.type === "FunctionExpression" ||
    (n.type === "Identifier" && /^(cb|callback|done|next|handler)$|^on[A-Z]|Callback$/.test(n.name))
  );
}

/**
 * Files using a client whose statements take values in the run call (`stmt.get(a)`): SQLite's
 * Node clients. Elsewhere a statement gets `.bind(a)`, the only way D1 takes values (and one
 * better-sqlite3 accepts too), so a D1 handle passed around under any name is patched right.
 */
const ARGUMENT_CLIENTS = /(?:\brequire\(\s*|\bfrom\s+)["'](?:better-sqlite3|bun:sqlite|node:sqlite|sqlite3?)["']/;

/**
 * Whether the patched call binds as many values as its text has placeholders, when both can be
 * counted: a placeholder left inside quotes is text, and its value binds nowhere. Null when they
 * agree or the values are not written out; otherwise why not.
 */
function boundMismatch(patched: SinkSite, textNode: JsNode, dialect: SqlDialect): string | null {
  const site = sqlCall(patched.node, patched.source, patched.dialect);
  const pieces = textPieces(textNode, patched.ancestors);
  if (!site || !pieces) return null;
  const text = pieces.map((p) => (p.kind === "text" ? p.text : " 0 ")).join("");
  const found = placeholders(tokenizeSql(text, dialect));
  const named = new Set(found.filter((p) => /^[:@]/.test(p.text)).map((p) => p.text));
  const count = named.size > 0 ? named.size : new Set(found.map((p) => (/^\$\d+$/.test(p.text) ? p.text : `${p.start}`))).size;
  const hasData = pieces.some((p) => p.kind === "expr");
  const values = boundValues(site, patched.ancestors);
  if (count === 0 && !hasData) return "the patched query has no placeholder and no data: it no longer uses the input at all";
  if (values === null || values === count) return null;
  return `the patched query has ${count} placeholder${count === 1 ? "" : "s"} but binds ${values} value${values === 1 ? "" : "s"}`;
}

/** How many values a client call binds, when they are written out in it; null when not. */
function boundValues(site: SqlCall, ancestors: readonly JsNode[]): number | null {
  const row = SQL_CLIENT_ROWS.find((r) => r.matches(site));
  const args = site.call.arguments as JsNode[];
  const second = args[1] ? unwrapped(args[1]) : null;
  switch (row?.binding) {
    case "array":
      return !second || isFunction(second) ? 0 : second.type === "ArrayExpression" ? second.elements.length : null;
    case "replacements": {
      if (!second) return 0;
      const list = second.type === "ObjectExpression" ? second.properties.find((p: JsNode) => p.key?.name === "replacements")?.value : null;
      return list?.type === "ArrayExpression" ? list.elements.length : null;
    }
    case "named":
      return !second ? 0 : second.type === "ObjectExpression" ? second.properties.length : null;
    case "statement": {
      const run = statementRun(site.call, ancestors);
      return run ? run.run.arguments.length : null;
    }
    default:
      return null;
  }
}

/** `prepare(text).get(…)` / `.bind(…)`: the call that takes the statement's values, and where its arguments are (or go). */
function statementRun(prepare: JsNode, ancestors: readonly JsNode[]): { run: JsNode; method: string; argsStart: number; argsEnd: number } | null {
  const member = ancestors[ancestors.length - 1];
  const run = ancestors[ancestors.length - 2];
  if (member?.type !== "MemberExpression" || member.object !== prepare || run?.type !== "CallExpression" || run.callee !== member) return null;
  const method: string = member.property?.name ?? "";
  if (!/^(bind|get|all|run|iterate|first|raw)$/.test(method)) return null;
  const args = run.arguments as JsNode[];
  return args.length > 0
    ? { run, method, argsStart: args[0]!.start, argsEnd: args[args.length - 1]!.end }
    : { run, method, argsStart: run.end - 1, argsEnd: run.end - 1 };
}

/** Placeholders already in the constant text: how many, and the highest `$n`. */
function existingParams(pieces: readonly TextPiece[], dialect: SqlDialect): { count: number; maxNumbered: number } {
  const text = pieces.map((p) => (p.kind === "text" ? p.text : " 0 ")).join("");
  let count = 0;
  let maxNumbered = 0;
  for (const t of placeholders(tokenizeSql(text, dialect))) {
    count++;
    if (/^\$\d+$/.test(t.text)) maxNumbered = Math.max(maxNumbered, Number(t.text.slice(1)));
  }
  return { count, maxNumbered };
}

/** Bind parameters in a token list: `?`, `?1`, `$1`, `:name`, `@name`. */
function placeholders(tokens: readonly SqlToken[]): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.kind === "param") {
      const numbered = t.text === "?" && next?.kind === "number" && next.start === t.end;
      out.push(numbered ? { start: t.start, end: next.end, text: t.text + next.text } : t);
      if (numbered) i++;
    } else if (t.kind === "op" && t.text === ":" && next?.kind === "word" && next.start === t.end && tokens[i - 1]?.text !== ":") {
      out.push({ start: t.start, end: next.end, text: ":" + next.text });
      i++;
    } else if (t.kind === "word" && t.text.startsWith("@") && !t.text.startsWith("@@")) out.push(t);
  }
  return out;
}

/** `existing` values in text order with ours where our placeholders are. */
function mergeValues(
  row: ClientRow,
  out: readonly OutPiece[],
  placeholderText: (i: number) => string,
  existing: { count: number },
  array: JsNode,
  values: readonly string[],
  dialect: SqlDialect,
  src: (n: JsNode) => string,
): { text: string } | { reason: string } {
  if (array.elements.some((e: JsNode | null) => !e || e.type === "SpreadElement")) return { reason: "the values array has spreads or holes" };
  if (row.placeholder === "$n") return { text: `[${[...array.elements.map(src), ...values].join(", ")}]` };
  const merged = mergeInto(out, placeholderText, existing, array.elements, values, dialect, src);
  return "reason" in merged ? merged : { text: `[${merged.text}]` };
}

/** Existing values and ours, in the order their `?` placeholders appear in the text. */
function mergeInto(
  out: readonly OutPiece[],
  placeholderText: (i: number) => string,
  existing: { count: number },
  current: readonly JsNode[],
  values: readonly string[],
  dialect: SqlDialect,
  src: (n: JsNode) => string,
): { text: string } | { reason: string } {
  if (current.length !== existing.count) return { reason: "the existing placeholders and values do not line up" };
  let text = "";
  const ours = new Map<number, number>();
  for (const p of out) {
    if ("placeholder" in p) ours.set(text.length, p.placeholder);
    text += "placeholder" in p ? placeholderText(p.placeholder) : p.text;
  }
  const ordered: string[] = [];
  let next = 0;
  for (const t of placeholders(tokenizeSql(text, dialect))) {
    const mine = ours.get(t.start);
    ordered.push(mine !== undefined ? values[mine]! : src(current[next++]!));
  }
  if (next !== current.length) return { reason: "the existing placeholders and values do not line up" };
  return { text: ordered.join(", ") };
}

/** Parameter names for TypeORM: the variable's own name when the value is one, else `p1`, `p2`… */
function namesFor(values: readonly BoundValue[], src: (n: JsNode) => string): string[] {
  const used = new Set<string>();
  return values.map((v, i) => {
    const only = v.parts.length === 1 && "node" in v.parts[0]! ? v.parts[0].node : null;
    let name = only?.type === "Identifier" ? src(only) : only?.type === "MemberExpression" && !only.computed ? only.property.name : `p${i + 1}`;
    while (used.has(name)) name += "_";
    used.add(name);
    return name;
  });
}

const LIMIT_BEFORE = /\b(?:limit|offset|top)\s*(?:\d+\s*,\s*)?$/i;
const IN_LIST_BEFORE = /\bin\s*\(\s*$/i;

/**
 * Replaces each expression in the SQL text with a placeholder (see the module header); a reason
 * when an expression sits where no placeholder can go.
 */
function parameterise(
  pieces: readonly TextPiece[],
  prefix: string,
  dialect: SqlDialect,
  row: ClientRow,
  source: string,
): { out: OutPiece[]; values: BoundValue[] } | { reason: string } {
  const out: OutPiece[] = [];
  const values: BoundValue[] = [];
  // The original text so far with benign input, to read each expression's SQL context from.
  let rendered = prefix;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.kind === "text") {
      out.push(p.named && row.binding !== "tagged" ? { named: p.named, text: p.text } : { text: p.text, from: { piece: i, at: 0 } });
      rendered += p.text;
      continue;
    }
    const context = detectContext("sql", rendered, dialect);
    const benign = benignFor(context.id, rendered);
    if (context.id === "sql-string" || context.id === "sql-like") {
      const quote = context.quote!;
      const open = lastQuote(out, quote);
      if (!open) return { reason: "the quoted string around the value is not in one literal the fix can rewrite" };
      const parts: BoundValue["parts"] = [];
      const opened = out[open.piece] as { text: string; from?: Cut };
      const start = opened.from ? { piece: opened.from.piece, at: opened.from.at + open.at } : null;
      const inside = opened.text.slice(open.at + 1);
      opened.text = opened.text.slice(0, open.at);
      if (inside) parts.push({ text: inside });
      for (const moved of out.splice(open.piece + 1)) {
        if ("placeholder" in moved) return { reason: "the quoted string holds more than one value" };
        parts.push("named" in moved ? { node: moved.named } : { text: moved.text });
      }
      parts.push({ node: p.node });
      rendered += benign;
      let closed = false;
      for (i++; i < pieces.length && !closed; i++) {
        const q = pieces[i]!;
        if (q.kind === "expr") {
          parts.push({ node: q.node });
          rendered += benign;
          continue;
        }
        const at = closingQuote(q.text, quote);
        if (at === -2) return { reason: "the quoted string has escaped quotes" };
        rendered += q.text;
        if (at < 0) {
          parts.push(q.named ? { node: q.named } : { text: q.text });
          continue;
        }
        if (q.named) return { reason: "a named constant closes the quoted string" };
        if (at > 0) parts.push({ text: q.text.slice(0, at) });
        out.push({ placeholder: values.length, cut: start ? { start, end: { piece: i, at: at + 1 } } : null });
        values.push({ parts, numeric: false });
        if (at + 1 < q.text.length) out.push({ text: q.text.slice(at + 1), from: { piece: i, at: at + 1 } });
        closed = true;
      }
      i--;
      if (!closed) return { reason: "the quoted string around the value does not close" };
      if (parts.some((part) => "node" in part && isJoin(part.node)))
        return { reason: "the value is a list joined into the text: bind each element (`IN (?, ?, …)`)" };
      continue;
    }
    if (context.id === "sql-order-by") {
      if (row.binding === "tagged")
        return { reason: "Prisma's `$queryRaw` binds every `${}` as a value: build the ORDER BY with `Prisma.sql` and an allowlist" };
      const allowed = orderByAllowlist(rendered.trimEnd(), p.node, source);
      if ("reason" in allowed) return allowed;
      out.push({ allowed: p.node, ...allowed });
      rendered += allowed.text;
      continue;
    }
    if (context.id !== "sql-numeric") {
      return {
        reason: `the data is used ${context.description}: a placeholder binds a value, not a name or SQL syntax; map the input through an allowlist of the names it may be`,
      };
    }
    const trimmed = rendered.trimEnd();
    if (isJoin(p.node) && (!IN_LIST_BEFORE.test(trimmed) || row.placeholder !== "?" || (dialect !== "mysql" && dialect !== "mariadb"))) {
      return { reason: "the value is a list joined into the text: bind each element (`IN (?, ?, …)`, or `= ANY($1)` in PostgreSQL)" };
    }
    // The placeholder stands for the text from the end of the text before to the start of the text after (or the end of the expression).
    const before = out[out.length - 1];
    const next = pieces[i + 1];
    const start = before && "from" in before && before.from ? { piece: before.from.piece, at: before.from.at + before.text.length } : null;
    const end = !next ? "end" : next.kind === "text" && !next.named ? { piece: i + 1, at: 0 } : null;
    out.push({ placeholder: values.length, cut: start && end ? { start, end } : null });
    values.push(
      isJoin(p.node) ? { parts: [], numeric: false, list: p.node.callee.object } : { parts: [{ node: p.node }], numeric: LIMIT_BEFORE.test(trimmed) },
    );
    rendered += benign;
  }
  if (values.length === 0 && !out.some((p) => "allowed" in p)) return { reason: "no value in the SQL text to bind" };
  return { out, values };
}

/** The end of an ORDER BY list's column: what follows is its direction. */
const DIRECTION_BEFORE = /\border\s+by\s+(?:[\w."`[\]]+(?:\s+(?:asc|desc))?\s*,\s*)*[\w."`[\]]+$/i;

/** Benign input for a hole: an ORDER BY direction's is ASC, a column's a name, other contexts the simulator's. */
function benignFor(context: ContextId, before: string): string {
  return context === "sql-order-by" && DIRECTION_BEFORE.test(before.trimEnd()) ? "ASC" : BENIGN[context];
}

/**
 * An ORDER BY hole mapped through an allowlist: a direction to ASC or DESC; a column to one of
 * the columns (or aliases) the query's SELECT list names, the first by default. A reason when
 * the list does not name its columns (`SELECT *`, expressions) or the expression is not a plain
 * variable or property (the allowlist reads it twice).
 */
function orderByAllowlist(before: string, node: JsNode, source: string): { code: string; text: string } | { reason: string } {
  const src = source.slice(node.start, node.end);
  if (DIRECTION_BEFORE.test(before)) return { code: `(String(${src}).toUpperCase() === "DESC" ? "DESC" : "ASC")`, text: "ASC" };
  if (node.type !== "Identifier" && node.type !== "MemberExpression")
    return { reason: "the data is used in ORDER BY, computed in place: store it in a variable, then map it through an allowlist of column names" };
  const list = /\bselect\s+(?:distinct\s+)?([\s\S]*?)\s+from\s/i.exec(before)?.[1] ?? "";
  const names: string[] = [];
  for (const item of list.split(",")) {
    const m = /^\s*(?:[\w"`]+\.)?([\w"`]+)(?:\s+(?:as\s+)?([\w"`]+))?\s*$/i.exec(item);
    if (!m || m[1] === "*")
      return {
        reason: "the data is used in ORDER BY and the query does not name the columns it selects: map the input through an allowlist of your column names",
      };
    names.push((m[2] ?? m[1]!).replace(/["`]/g, ""));
  }
  if (names.length === 0)
    return {
      reason: "the data is used in ORDER BY and the query has no SELECT list to take columns from: map the input through an allowlist of your column names",
    };
  return { code: `([${names.map((n) => JSON.stringify(n)).join(", ")}].includes(${src}) ? ${src} : ${JSON.stringify(names[0])})`, text: names[0]! };
}

function isJoin(node: JsNode): boolean {
  return node.type === "CallExpression" && node.callee.type === "MemberExpression" && node.callee.property?.name === "join";
}

/** The last quote character in the plain text pieces (named constants cannot be cut). */
function lastQuote(out: readonly OutPiece[], quote: string): { piece: number; at: number } | null {
  for (let i = out.length - 1; i >= 0; i--) {
    const p = out[i]!;
    if ("placeholder" in p) return null;
    const at = p.text.lastIndexOf(quote);
    if (at >= 0) return "named" in p ? null : { piece: i, at };
  }
  return null;
}

/** Index of the quote that closes a string in `text`, -1 when none, -2 when the string escapes a quote (doubled or backslashed). */
function closingQuote(text: string, quote: string): number {
  const at = text.indexOf(quote);
  if (at < 0) return text.includes("\\") ? -2 : -1;
  if (text[at + 1] === quote || text.slice(0, at).includes("\\")) return -2;
  return at;
}

/** Node types that need parentheses as an operand of `+`. */
const ATOMIC = new Set([
  "Identifier",
  "MemberExpression",
  "CallExpression",
  "Literal",
  "TemplateLiteral",
  "ThisExpression",
  "TaggedTemplateExpression",
  "NewExpression",
]);

function valueSource(v: BoundValue, src: (n: JsNode) => string, quote: string): string {
  if (v.list) return src(v.list);
  if (v.parts.length === 1 && "node" in v.parts[0]!) {
    const node = v.parts[0].node;
    const text = node.type === "SequenceExpression" ? `(${src(node)})` : src(node);
    return v.numeric ? `Number(${text})` : text;
  }
  const printed = v.parts.map((p) => ("text" in p ? stringLiteral(p.text, quote) : ATOMIC.has(p.node.type) ? src(p.node) : `(${src(p.node)})`));
  // Two expressions first would add before concatenating: make the first one text.
  if (v.parts.length > 1 && "node" in v.parts[0]! && "node" in v.parts[1]!) printed[0] = `String(${printed[0]})`;
  return printed.join(" + ");
}

/**
 * The patch as edits of only the spans each placeholder replaces, the rest of the text kept as
 * written (its lines, its quotes, its constants); null when a span starts or ends where the source
 * cannot be cut character for character (an escape sequence, a number, a constant) or would join
 * a string to a template, and the text is then rewritten whole.
 */
function spanEdits(out: readonly OutPiece[], built: SinkText, placeholderText: (i: number) => string, source: string): Edit[] | null {
  const pieces = built.pieces;
  const edits: Edit[] = [];
  for (const p of out) {
    // An allowlisted expression is replaced where it stands.
    if ("allowed" in p) edits.push({ start: p.allowed.start, end: p.allowed.end, text: p.code });
    if (!("placeholder" in p)) continue;
    if (!p.cut) return null;
    const first = pieces[p.cut.start.piece]!;
    const start = sourceOffset(first, p.cut.start.at, source);
    if (start === null || first.kind !== "text") return null;
    const end = p.cut.end;
    if (end === "end") {
      // The text ends with the value: the placeholder closes the literal the text started in.
      if (first.source?.type !== "Literal") return null;
      edits.push({ start, end: built.node.end, text: placeholderText(p.placeholder) + source[first.source.start] });
      continue;
    }
    const last = pieces[end.piece]!;
    const stop = sourceOffset(last, end.at, source);
    if (stop === null || last.kind !== "text" || !sameDelimiters(first, last, source)) return null;
    edits.push({ start, end: stop, text: placeholderText(p.placeholder) });
  }
  return edits;
}

/** Whether joining two pieces' literals keeps one kind of literal: two strings with one quote, or two parts of one template. */
function sameDelimiters(a: TextPiece & { kind: "text" }, b: TextPiece & { kind: "text" }, source: string): boolean {
  if (a.source?.type === "TemplateElement" || b.source?.type === "TemplateElement") return a.owner !== undefined && a.owner === b.owner;
  return !!a.source && !!b.source && source[a.source.start] === source[b.source.start];
}

function printText(out: readonly OutPiece[], placeholderText: (i: number) => string, template: boolean, quote: string, src: (n: JsNode) => string): string {
  if (template)
    return (
      "`" +
      out
        .map((p) =>
          "placeholder" in p
            ? placeholderText(p.placeholder)
            : "named" in p
              ? "${" + src(p.named) + "}"
              : "allowed" in p
                ? "${" + p.code + "}"
                : templateText(p.text),
        )
        .join("") +
      "`"
    );
  const operands: string[] = [];
  let run = "";
  for (const p of out) {
    if ("named" in p || "allowed" in p) {
      if (run) operands.push(stringLiteral(run, quote));
      run = "";
      operands.push("named" in p ? src(p.named) : p.code);
    } else run += "placeholder" in p ? placeholderText(p.placeholder) : p.text;
  }
  if (run || operands.length === 0) operands.push(stringLiteral(run, quote));
  return operands.join(" + ");
}

function stringLiteral(text: string, quote: string): string {
  const escaped = text.replace(/[\\\n\r\u2028\u2029]/g, (c) => ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029" })[c]!);
  return quote + escaped.split(quote).join("\\" + quote) + quote;
}

function templateText(text: string): string {
  return text.replace(/\\|`|\$\{/g, (m) => "\\" + m);
}

// ---------------------------------------------------------------------------------------------
// Equivalence: the patched code's SQL text, bound, against the original's.

interface SqlRendering {
  input: string;
  text: string;
  structure: string;
  shape: string | null;
}

type SqlEquivalence =
  | { outcome: "same"; before: SqlRendering; benign: SqlRendering; attack: SqlRendering; parser: { name: string; version: string; dialect: string } }
  | { outcome: "different" | "unknown"; evidence: string };

/** A string literal as the dialect's client escapes a bound text value. */
function boundLiteral(value: string, dialect: SqlDialect): string {
  return dialect === "mysql" || dialect === "mariadb" ? `'${value.replace(/[\\']/g, "\\$&")}'` : `'${value.replace(/'/g, "''")}'`;
}

/**
 * Whether the patched sink sends the query the original sent for benign input, with its data bound.
 * `before` and `after` are the SQL text expressions at the original and the patched sink.
 */
async function sqlEquivalence(
  before: { node: JsNode; ancestors: readonly JsNode[]; method: string },
  after: { node: JsNode; ancestors: readonly JsNode[]; tagged: boolean },
  dialect: SqlDialect,
  payload: string,
): Promise<SqlEquivalence> {
  const prefix = FRAGMENT_PREFIX[before.method] ?? "";
  const original = textPieces(before.node, before.ancestors);
  if (!original) return { outcome: "unknown", evidence: "the original SQL text is not built from pieces the check can read" };
  let beforeText = prefix;
  let beforeInput: string | null = null;
  for (const p of original) {
    if (p.kind === "text") {
      beforeText += p.text;
      continue;
    }
    const value = benignFor(detectContext("sql", beforeText, dialect).id, beforeText);
    beforeInput ??= value;
    beforeText += value;
  }
  const patched = after.tagged ? templatePieces(after.node) : textPieces(after.node, after.ancestors);
  if (!patched) return { outcome: "different", evidence: "the patched SQL text is not a constant the check can read" };
  const prover = await createSqlProver(dialect);
  // Expressions left in the patched text carry no attacker data (the dataflow re-run says so: an
  // allowlist, a constant): they read as the original's holes do, with benign input.
  let unbound = prefix;
  for (const p of patched) unbound += p.kind === "text" ? p.text : benignFor(detectContext("sql", unbound, dialect).id, unbound);
  const bind = (value: (numeric: boolean) => string): string => {
    if (after.tagged) return prefix + patched.map((p) => (p.kind === "text" ? p.text : value(false))).join("");
    const text = unbound;
    let bound = "";
    let at = 0;
    for (const ph of placeholders(tokenizeSql(text, dialect))) {
      bound += text.slice(at, ph.start) + value(LIMIT_BEFORE.test(text.slice(0, ph.start).trimEnd()));
      at = ph.end;
    }
    return bound + text.slice(at);
  };
  const benignText = bind((numeric) => (numeric ? "1" : boundLiteral(BENIGN["sql-string"], dialect)));
  const attackText = bind((numeric) => (numeric ? "1" : boundLiteral(payload, dialect)));
  const a = prover.analyze(beforeText);
  const b = prover.analyze(benignText);
  const c = prover.analyze(attackText);
  if (!b.ok) return { outcome: "different", evidence: `the patched query does not parse as ${dialect} with its values bound: ${b.message}` };
  if (!a.ok)
    return { outcome: "unknown", evidence: `the original query does not parse as ${dialect} with benign input, so the two cannot be compared: ${a.message}` };
  if (a.structure.shape !== b.structure.shape) {
    return { outcome: "different", evidence: `with benign input the patched query has another structure: ${b.summary} where the original had ${a.summary}` };
  }
  if (!c.ok || c.structure.shape !== b.structure.shape)
    return { outcome: "different", evidence: "the attack payload, bound as a value, still changes the patched query" };
  const rendering = (input: string, text: string, r: typeof a): SqlRendering => ({
    input,
    text,
    structure: r.ok ? r.summary : "",
    shape: r.ok ? r.structure.shape : null,
  });
  return {
    outcome: "same",
    before: rendering(beforeInput ?? "", beforeText, a),
    benign: rendering(BENIGN["sql-string"], benignText, b),
    attack: rendering(payload, attackText, c),
    parser: { ...prover.parser, dialect },
  };
}

/** A tagged template's pieces: its quasis, and each `${}` as a bound value. */
function templatePieces(node: JsNode): TextPiece[] | null {
  const quasi = node.type === "TaggedTemplateExpression" ? node.quasi : null;
  if (!quasi) return null;
  const out: TextPiece[] = [];
  quasi.quasis.forEach((q: JsNode, i: number) => {
    out.push({ kind: "text", text: q.value.cooked ?? "" });
    if (i < quasi.expressions.length) out.push({ kind: "expr", node: quasi.expressions[i] });
  });
  return out;
}
