/**
 * SQL injection prover. Both renderings are parsed with node-sql-parser in the scan's dialect and
 * reduced to facts an attacker cares about: how many statements run, how many UNION branches a
 * SELECT has, which OR conditions are always true, which conditions exist at all, which tables are
 * touched. A literal's value never counts as structure, so a payload that stays inside its string
 * changes nothing; one that breaks out changes the facts, and the facts say how.
 */
import type { SqlDialect } from "../types";
import { loadSqlParser, parseSqlIn } from "../parse/sql";
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

/** The installed node-sql-parser version (a test compares it with node_modules). */
export const NODE_SQL_PARSER_VERSION = "5.4.0";

// node-sql-parser's AST is loosely typed JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

export interface SqlStructure {
  /** Each statement printed with literals as <value>. */
  statements: string[];
  /** "SELECT", "DROP TABLE users"... one per statement. */
  kinds: string[];
  /** Set operations (UNION, INTERSECT, EXCEPT) over all statements. */
  setOperations: number;
  /** WHERE, HAVING and ON conditions that hold for every row, as "WHERE: <condition with values>". */
  alwaysTrue: string[];
  /** Every comparison in WHERE, HAVING and ON, printed with literals as <value>. */
  predicates: string[];
  tables: string[];
  /** The whole parse with literal values masked: any other difference shows here. */
  shape: string;
}

/** Literal node types: their value is data, never structure. */
const LITERALS = new Set([
  "number",
  "string",
  "single_quote_string",
  "double_quote_string",
  "natural_string",
  "hex_string",
  "full_hex_string",
  "bit_string",
  "regex_string",
  "bool",
  "boolean",
  "null",
  "param",
  "var",
  "date",
  "time",
  "timestamp",
  "datetime",
  "backticks_quote_string",
  "dollar_quote_string",
]);

const MAX_EXPR_DEPTH = 24;
const MAX_SHAPE_NODES = 50_000;
const MAX_SHAPE_DEPTH = 400;
const MAX_PRINTED = 400;
const MAX_PARENTHESES = 200;

/** Loads the dialect's parser and returns a prover for it. */
export async function createSqlProver(dialect: SqlDialect): Promise<Prover<SqlStructure>> {
  await loadSqlParser(dialect);
  return {
    parser: { name: "node-sql-parser", version: NODE_SQL_PARSER_VERSION, dialect },
    analyze: (text) => analyzeSql(text, dialect),
    compare: compareSql,
  };
}

function analyzeSql(text: string, dialect: SqlDialect): Analysis<SqlStructure> {
  // The parser recurses per parenthesis and takes long to overflow its stack: refuse early.
  if (parenthesisDepth(text) > MAX_PARENTHESES) return { ok: false, message: "nesting too deep to parse" };
  // Renderings are one-off texts: keep them out of the shared parse cache.
  const parsed = parseSqlIn(text, dialect, { cache: false });
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const statements = parsed.ast.filter((s) => s && typeof s === "object");
  if (statements.length === 0) return { ok: false, message: "no SQL statement" };
  const facts: SqlStructure = {
    statements: statements.map((s) => shorten(statementText(s, 0), MAX_PRINTED)),
    kinds: statements.map(statementKind),
    setOperations: statements.reduce((sum, s) => sum + unionBranches(s) - 1, 0),
    alwaysTrue: [],
    predicates: [],
    tables: [],
    shape: shapeOf(statements),
  };
  collect(statements, facts);
  const n = facts.statements.length;
  return { ok: true, structure: facts, summary: `${n} statement${n === 1 ? "" : "s"}: ${facts.statements.join("; ")}` };
}

function compareSql(benign: SqlStructure, attack: SqlStructure): Change[] {
  const changes: Change[] = [];
  const stacked = attack.kinds.length > benign.kinds.length;
  if (stacked) {
    const extra = added(benign.kinds, attack.kinds);
    changes.push({ rank: 3, words: `the payload stacked ${extra.length === 1 ? "a new statement" : `${extra.length} new statements`}: ${extra.join("; ")}` });
  }
  if (attack.setOperations > benign.setOperations) {
    changes.push({ rank: 3, words: "a UNION SELECT branch was added" });
  }
  const clause = (entry: string): string => entry.slice(0, entry.indexOf(":"));
  const tautologies = added(benign.alwaysTrue.map(clause), attack.alwaysTrue.map(clause));
  for (const name of new Set(tautologies)) {
    const condition = attack.alwaysTrue.filter((e) => clause(e) === name).pop()!;
    changes.push({ rank: 3, words: `the ${name} condition is now always true: ${condition.slice(name.length + 2)}` });
  }
  const lost = added(attack.predicates, benign.predicates);
  if (lost.length > 0) {
    changes.push({ rank: 2, words: `the condition ${lost.join(" AND ")} was cut off` });
  }
  const tables = added(benign.tables, attack.tables).filter((t) => !benign.tables.includes(t));
  if (tables.length > 0 && !stacked) changes.push({ rank: 2, words: `the query now reads table ${tables.join(", ")}` });
  if (changes.length === 0 && attack.shape !== benign.shape) {
    const i = benign.statements.findIndex((s, k) => s !== attack.statements[k]);
    changes.push({
      rank: 1,
      words:
        i >= 0
          ? `the query changed beyond the value: ${shorten(benign.statements[i]!, 160)} became ${shorten(attack.statements[i] ?? "", 160)}`
          : "the parse tree changed beyond the value of the hole",
    });
  }
  return changes;
}

/** The deepest run of open parentheses (quotes ignored: an over-count only refuses odd text). */
function parenthesisDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) max = Math.max(max, ++depth);
    else if (c === 41 && depth > 0) depth--;
  }
  return max;
}

// Printing ------------------------------------------------------------------------------------

/** "SELECT", "DROP TABLE users", "INSERT INTO admins"…: what a statement does and to which tables. */
function statementKind(s: Node): string {
  if (s.type === "select") return "SELECT";
  if (s.type === "insert" || s.type === "replace" || s.type === "delete") return statementText({ ...s, where: null }, 0);
  const keyword = typeof s.keyword === "string" ? s.keyword.toUpperCase() : "";
  const names = tableNames(s.name ?? s.table ?? s.from);
  return `${String(s.type ?? "statement").toUpperCase()} ${keyword} ${names}`.replace(/\s+/g, " ").trim();
}

function tableNames(list: Node): string {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  return items
    .map((t: Node) => (typeof t === "string" ? t : (t?.table ?? "")))
    .filter(Boolean)
    .join(", ");
}

function statementText(s: Node, depth: number): string {
  if (depth > MAX_EXPR_DEPTH) return "…";
  switch (s.type) {
    case "select": {
      let out = "SELECT " + columnsText(s.columns, depth);
      if (s.from) out += " FROM " + fromText(s.from, depth);
      if (s.where) out += " WHERE " + expr(s.where, depth + 1);
      const groupBy = Array.isArray(s.groupby) ? s.groupby : s.groupby?.columns;
      if (groupBy?.length) out += " GROUP BY " + groupBy.map((g: Node) => expr(g, depth + 1)).join(", ");
      if (s.having) out += " HAVING " + expr(s.having, depth + 1);
      if (s.orderby?.length) out += " ORDER BY " + s.orderby.map((o: Node) => expr(o.expr, depth + 1) + (o.type ? ` ${o.type}` : "")).join(", ");
      if (s.limit?.value?.length) out += " LIMIT <value>";
      if (s._next) out += ` ${String(s.set_op ?? "union").toUpperCase()} ${statementText(s._next, depth + 1)}`;
      return out;
    }
    case "insert":
    case "replace":
      return `${s.type.toUpperCase()} INTO ${tableNames(s.table)}`;
    case "update":
      return (
        `UPDATE ${tableNames(s.table)} SET ${(s.set ?? []).map((a: Node) => `${a.column} = ${expr(a.value, depth + 1)}`).join(", ")}` +
        (s.where ? " WHERE " + expr(s.where, depth + 1) : "")
      );
    case "delete":
      // pci-auditor-ignore-next-line sql-write-without-where -- prints a parsed statement back as text for the attack simulator; nothing runs it
      return `DELETE FROM ${tableNames(s.from ?? s.table)}` + (s.where ? " WHERE " + expr(s.where, depth + 1) : "");
    default:
      return statementKind(s);
  }
}

function columnsText(columns: Node, depth: number): string {
  if (!Array.isArray(columns)) return String(columns ?? "*");
  return columns.map((c: Node) => (typeof c === "string" ? c : expr(c.expr ?? c, depth + 1))).join(", ");
}

function fromText(from: Node[], depth: number): string {
  return from
    .map((f: Node, k: number) => {
      const name = f.table ?? (f.expr ? `(${f.expr.ast ? statementText(f.expr.ast, depth + 1) : "…"})` : "…");
      if (k === 0 || !f.join) return (k === 0 ? "" : ", ") + name;
      return ` ${f.join} ${name}` + (f.on ? ` ON ${expr(f.on, depth + 1)}` : "");
    })
    .join("");
}

function columnName(node: Node): string {
  const c = node.column;
  const name = typeof c === "string" ? c : (c?.expr?.value ?? "?");
  return node.table ? `${node.table}.${name}` : String(name);
}

function functionName(node: Node): string {
  const n = node.name;
  if (typeof n === "string") return n;
  if (Array.isArray(n?.name)) return n.name.map((p: Node) => p.value).join(".");
  return "function";
}

/** Prints an expression; literals become <value> unless `values` asks for them. */
function expr(node: Node, depth: number, values = false): string {
  if (node == null) return "";
  if (depth > MAX_EXPR_DEPTH) return "…";
  if (Array.isArray(node)) return node.map((n) => expr(n, depth + 1, values)).join(", ");
  if (typeof node !== "object") return String(node);
  if (node.ast) return `(${statementText(node.ast, depth + 1)})`;
  if (LITERALS.has(node.type)) {
    if (!values) return "<value>";
    if (node.type === "null") return "NULL";
    return typeof node.value === "string" ? `'${shorten(node.value, 40)}'` : String(node.value);
  }
  switch (node.type) {
    case "column_ref":
      return columnName(node);
    case "star":
      return "*";
    case "binary_expr":
      return `(${expr(node.left, depth + 1, values)} ${node.operator} ${expr(node.right, depth + 1, values)})`;
    case "unary_expr":
      return `${node.operator} ${expr(node.expr, depth + 1, values)}`;
    case "expr_list":
      return `(${expr(node.value, depth + 1, values)})`;
    case "function":
      return `${functionName(node)}(${expr(node.args?.value ?? [], depth + 1, values)})`;
    case "aggr_func":
      return `${node.name}(${node.args?.expr ? expr(node.args.expr, depth + 1, values) : ""})`;
    case "case":
      return (
        "CASE " +
        (node.args ?? [])
          .map((a: Node) =>
            a.type === "when"
              ? `WHEN ${expr(a.cond, depth + 1, values)} THEN ${expr(a.result, depth + 1, values)}`
              : `ELSE ${expr(a.result, depth + 1, values)}`,
          )
          .join(" ") +
        " END"
      );
    case "select":
      return `(${statementText(node, depth + 1)})`;
    default:
      return node.expr ? expr(node.expr, depth + 1, values) : `<${node.type ?? "expr"}>`;
  }
}

// Facts ---------------------------------------------------------------------------------------

function unionBranches(s: Node): number {
  let n = 0;
  for (let cur = s; cur && n < 10_000; cur = cur._next) n++;
  return n;
}

const BOOLEAN_CONNECTIVES = new Set(["AND", "OR", "XOR", "&&", "||"]);

/** Walks every statement (iteratively: payloads may nest deeply) for ORs, comparisons and tables. */
function collect(statements: Node[], facts: SqlStructure): void {
  const stack: Array<{ node: Node; depth: number }> = statements.map((node) => ({ node, depth: 0 }));
  let visited = 0;
  while (stack.length > 0 && visited < MAX_SHAPE_NODES) {
    const { node, depth } = stack.pop()!;
    visited++;
    if (!node || typeof node !== "object" || depth > MAX_SHAPE_DEPTH) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    for (const key of ["where", "having", "on"] as const) {
      const condition = node[key];
      if (condition && typeof condition === "object" && alwaysTrue(condition, 0)) {
        facts.alwaysTrue.push(`${key.toUpperCase()}: ${shorten(expr(condition, 0, true), MAX_PRINTED)}`);
      }
    }
    if (node.type === "binary_expr") {
      if (!BOOLEAN_CONNECTIVES.has(String(node.operator).toUpperCase())) facts.predicates.push(expr(node, 0));
    } else if (node.type !== "column_ref" && typeof node.table === "string" && ("db" in node || "as" in node)) {
      if (!facts.tables.includes(node.table)) facts.tables.push(node.table);
    }
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (value && typeof value === "object") stack.push({ node: value, depth: depth + 1 });
    }
  }
  facts.predicates.sort();
  facts.alwaysTrue.sort();
}

/** True when a condition holds for every row: a constant-true term ORed in at its top. */
function alwaysTrue(node: Node, depth: number): boolean {
  if (depth > MAX_EXPR_DEPTH || !node || typeof node !== "object") return false;
  if (node.type === "binary_expr") {
    const op = String(node.operator).toUpperCase();
    if (op === "OR" || op === "||") return alwaysTrue(node.left, depth + 1) || alwaysTrue(node.right, depth + 1);
    if (op === "AND" || op === "&&") return alwaysTrue(node.left, depth + 1) && alwaysTrue(node.right, depth + 1);
  }
  const v = constant(node);
  return v !== undefined && truthy(v);
}

type Value = number | string | boolean | null;

/** A constant expression's value, or undefined when it depends on data. */
function constant(node: Node, depth = 0): Value | undefined {
  if (!node || typeof node !== "object" || depth > MAX_EXPR_DEPTH) return undefined;
  switch (node.type) {
    case "number":
      return typeof node.value === "number" ? node.value : Number(node.value);
    case "bool":
    case "boolean":
      return Boolean(node.value);
    case "null":
      return null;
    case "single_quote_string":
    case "string":
    case "natural_string":
    case "dollar_quote_string":
      return String(node.value);
    case "double_quote_string":
      // A string in MySQL; in standard SQL a quoted name, whose value is not constant.
      return undefined;
    case "unary_expr": {
      const v = constant(node.expr, depth + 1);
      if (v === undefined) return undefined;
      const op = String(node.operator).toUpperCase();
      if (op === "NOT" || op === "!") return v === null ? null : !truthy(v);
      if (op === "-") return -Number(v);
      return undefined;
    }
    case "binary_expr": {
      const l = constant(node.left, depth + 1);
      const r = constant(node.right, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return binary(String(node.operator).toUpperCase(), l, r);
    }
    default:
      return undefined;
  }
}

function binary(op: string, l: Value, r: Value): Value | undefined {
  switch (op) {
    case "AND":
    case "&&":
      return truthy(l) && truthy(r);
    case "OR":
    case "||":
      return truthy(l) || truthy(r);
    case "IS":
      return l === r;
    case "IS NOT":
      return l !== r;
  }
  if (l === null || r === null) return null;
  const [a, b] = typeof l === typeof r ? [l, r] : [Number(l), Number(r)];
  switch (op) {
    case "=":
    case "==":
    case "<=>":
      return a === b;
    case "!=":
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    case "LIKE":
      return typeof r === "string" && /^%+$/.test(r) ? true : undefined;
    default:
      return undefined;
  }
}

function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === "string") return Number.parseFloat(v) !== 0 && !Number.isNaN(Number.parseFloat(v));
  return Boolean(v);
}

/** A canonical rendering of the whole parse with literal values masked. */
function shapeOf(root: Node): string {
  const out: string[] = [];
  let nodes = 0;
  const walk = (node: Node, depth: number): void => {
    if (++nodes > MAX_SHAPE_NODES || depth > MAX_SHAPE_DEPTH) {
      out.push("…");
      return;
    }
    if (node === null || node === undefined) out.push("_");
    else if (typeof node !== "object") out.push(JSON.stringify(node));
    else if (Array.isArray(node)) {
      out.push("[");
      for (const item of node) walk(item, depth + 1);
      out.push("]");
    } else if (LITERALS.has(node.type)) out.push("<value>");
    else {
      out.push("{");
      for (const key of Object.keys(node)) {
        out.push(key, ":");
        walk(node[key], depth + 1);
      }
      out.push("}");
    }
  };
  walk(root, 0);
  return out.join(" ");
}
