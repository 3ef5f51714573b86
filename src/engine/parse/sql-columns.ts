/**
 * The columns a DDL statement defines: CREATE TABLE, and ALTER TABLE … ADD / MODIFY / CHANGE /
 * ALTER COLUMN … TYPE. Names and types come from node-sql-parser's AST when the statement
 * parsed, and from the tokens otherwise (vendor DDL the parser rejects, such as PostgreSQL
 * identity columns or T-SQL Always Encrypted); positions always come from the tokens, because
 * the parser reports few of them. Used by the card-data column rules.
 */
import type { SqlStatement } from "./sql-statement";
import { closingParen, isOp, isWord, splitTopLevel, statementTokens, type SqlToken } from "./sql-tokens";

export interface ColumnDefinition {
  /** Table name as written, without schema or quotes ("" when unknown). */
  table: string;
  /** Column name as written, without quotes. */
  name: string;
  /** Range of the column name in the statement text. */
  start: number;
  end: number;
  /** Upper-case type name, e.g. "VARCHAR", "CHARACTER VARYING"; "" when none was written. */
  dataType: string;
  /** The type's first numeric argument (length or precision), or null. */
  length: number | null;
  /** The type as written in the statement, e.g. "varchar(19)", for messages. */
  typeText: string;
  /** Encrypted by the database itself (SQL Server Always Encrypted `ENCRYPTED WITH (…)`). */
  encrypted: boolean;
}

/** Element keywords in a CREATE TABLE list that start a constraint or index, not a column. */
const NOT_A_COLUMN = new Set(["CONSTRAINT", "PRIMARY", "KEY", "INDEX", "UNIQUE", "FOREIGN", "CHECK", "FULLTEXT", "SPATIAL", "EXCLUDE", "LIKE", "PERIOD"]);
/** Words that end a column's type and start its constraints or options. */
const AFTER_TYPE = new Set([
  "NOT",
  "NULL",
  "DEFAULT",
  "PRIMARY",
  "REFERENCES",
  "UNIQUE",
  "CHECK",
  "COLLATE",
  "GENERATED",
  "CONSTRAINT",
  "AUTO_INCREMENT",
  "AUTOINCREMENT",
  "IDENTITY",
  "COMMENT",
  "ENCRYPTED",
  "MASKED",
  "AS",
  "ON",
  "FIRST",
  "AFTER",
  "CHARACTER",
  "CHARSET",
  "KEY",
  "SPARSE",
  "FILESTREAM",
  "ROWGUIDCOL",
  "OPTIONS",
  "INVISIBLE",
  "VISIBLE",
  "STORAGE",
  "COLUMN_FORMAT",
  "WITH",
  "USING",
  "END",
]);
/** ALTER TABLE sub-commands; a comma-separated part starting otherwise continues a T-SQL `ADD a INT, b INT`. */
const ALTER_ACTIONS = new Set([
  "ADD",
  "DROP",
  "ALTER",
  "MODIFY",
  "CHANGE",
  "RENAME",
  "SET",
  "RESET",
  "ENABLE",
  "DISABLE",
  "OWNER",
  "VALIDATE",
  "ATTACH",
  "DETACH",
  "CLUSTER",
  "INHERIT",
  "NO",
  "REPLICA",
  "FORCE",
  "ALGORITHM",
  "LOCK",
  "CONVERT",
  "ORDER",
  "AUTO_INCREMENT",
  "ENGINE",
  "PARTITION",
  "NOCHECK",
  "WITH",
]);

/**
 * Every column definition in the statement's text (a code string may hold several statements).
 *
 * @example
 *   columnDefinitions(stmt("CREATE TABLE cards (pan VARCHAR(19), last4 CHAR(4))"))
 *   // [{ table: "cards", name: "pan", dataType: "VARCHAR", length: 19, … }, { name: "last4", … }]
 */
export function columnDefinitions(statement: SqlStatement): ColumnDefinition[] {
  let defs = cache.get(statement);
  if (!defs) {
    defs = readColumnDefinitions(statement);
    cache.set(statement, defs);
  }
  return defs;
}

/** Several rules read the same statement's columns: read them once. */
const cache = new WeakMap<SqlStatement, ColumnDefinition[]>();

function readColumnDefinitions(statement: SqlStatement): ColumnDefinition[] {
  const tokens = statementTokens(statement);
  if (!tokens.some((t) => isWord(t, "TABLE"))) return [];
  const fromTokens: ColumnDefinition[] = [];
  for (const [from, to] of topLevelStatements(tokens)) fromTokens.push(...tokenColumns(tokens, from, to));
  const fromAst = astColumns(statement.ast);
  if (fromAst.length === 0) return fromTokens;
  // The AST knows the types best; the tokens know where the names are.
  const byName = new Map<string, ColumnDefinition[]>();
  for (const t of fromTokens) {
    const key = t.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(t);
    else byName.set(key, [t]);
  }
  const taken = new Map<string, number>();
  const out: ColumnDefinition[] = [];
  for (const a of fromAst) {
    const key = a.name.toLowerCase();
    const index = taken.get(key) ?? 0;
    const match = byName.get(key)?.[index];
    taken.set(key, index + 1);
    if (match) {
      out.push({ ...match, dataType: a.dataType || match.dataType, length: a.length ?? match.length });
      continue;
    }
    const token = tokens.find((t) => (t.kind === "word" || t.kind === "quoted") && t.value.toLowerCase() === a.name.toLowerCase());
    if (token) out.push({ ...a, start: token.start, end: token.end });
  }
  // Definitions the AST does not list (MODIFY, CHANGE, ALTER COLUMN … TYPE) keep their token reading.
  for (const [key, list] of byName) out.push(...list.slice(taken.get(key) ?? 0));
  return out.sort((a, b) => a.start - b.start);
}

/** [from, to) token ranges between top-level semicolons. */
function topLevelStatements(tokens: readonly SqlToken[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let from = 0;
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.kind !== "op") return;
    if (t.value === "(") depth++;
    else if (t.value === ")") depth = Math.max(0, depth - 1);
    else if (t.value === ";" && depth === 0) {
      ranges.push([from, i]);
      from = i + 1;
    }
  });
  ranges.push([from, tokens.length]);
  return ranges;
}

function isName(t: SqlToken | undefined): t is SqlToken {
  return t !== undefined && (t.kind === "word" || t.kind === "quoted");
}

/** Reads a possibly qualified name (`a.b."c"`) at i: its last part and the index after it. */
function qualifiedName(tokens: readonly SqlToken[], i: number): { name: string; next: number } | null {
  if (!isName(tokens[i])) return null;
  let j = i;
  while (isOp(tokens[j + 1], ".") && isName(tokens[j + 2])) j += 2;
  const last = tokens[j]!;
  // BigQuery quotes whole paths: `project.dataset.table`.
  return { name: textOf(last).split(".").pop()!, next: j + 1 };
}

/** An identifier as written: a word's own text (its value is upper-cased), a quoted name's content. */
function textOf(t: SqlToken): string {
  return t.kind === "quoted" ? t.value : t.text;
}

/**
 * Definitions of every CREATE TABLE / ALTER TABLE in tokens[from, to), including ones nested in
 * a T-SQL `IF … BEGIN CREATE TABLE … END` block.
 */
function tokenColumns(tokens: readonly SqlToken[], from: number, to: number): ColumnDefinition[] {
  const out: ColumnDefinition[] = [];
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind !== "word" || (t.value !== "CREATE" && t.value !== "ALTER") || isOp(tokens[k - 1], ".")) continue;
    let i = k + 1;
    const reach = t.value === "CREATE" ? 7 : 3;
    while (i < to && i <= k + reach && !isWord(tokens[i], "TABLE") && !isOp(tokens[i], "(")) i++;
    if (!isWord(tokens[i], "TABLE")) continue;
    i++;
    if (t.value === "CREATE") {
      if (isWord(tokens[i], "IF")) i += 3;
      const table = qualifiedName(tokens, i);
      if (!table || !isOp(tokens[table.next], "(")) continue;
      const close = Math.min(to, closingParen(tokens, table.next));
      out.push(...elementList(tokens, table.next, close, table.name));
      k = close;
    } else {
      if (isWord(tokens[i], "IF")) i += 2;
      if (isWord(tokens[i], "ONLY")) i++;
      const table = qualifiedName(tokens, i);
      if (!table) continue;
      out.push(...alterActions(tokens, table.next, to, table.name));
    }
  }
  return out;
}

/** Column definitions inside the parenthesised list that opens at `open` and closes at `close`. */
function elementList(tokens: readonly SqlToken[], open: number, close: number, table: string): ColumnDefinition[] {
  const out: ColumnDefinition[] = [];
  for (const [a, b] of commaParts(tokens, open + 1, close)) {
    const t = tokens[a];
    if (!isName(t) || (t.kind === "word" && NOT_A_COLUMN.has(t.value))) continue;
    out.push(columnAt(tokens, a, b, table));
  }
  return out;
}

/** [from, to) ranges of the non-empty comma-separated parts between `from` and `to` at nesting depth 0. */
function commaParts(tokens: readonly SqlToken[], from: number, to: number): Array<[number, number]> {
  return splitTopLevel(tokens, from, to, ",").filter(([a, b]) => b > a);
}

function alterActions(tokens: readonly SqlToken[], from: number, to: number, table: string): ColumnDefinition[] {
  const out: ColumnDefinition[] = [];
  let adding = false;
  for (const [a, b] of commaParts(tokens, from, to)) {
    let i = a;
    const t = tokens[i];
    if (!isName(t)) continue;
    const action = t.kind === "word" && ALTER_ACTIONS.has(t.value) ? t.value : "";
    if (action === "") {
      // T-SQL lists several columns after one ADD: `ADD a INT, b INT`.
      if (adding) out.push(columnAt(tokens, i, b, table));
      continue;
    }
    adding = false;
    i++;
    if (action === "ADD") {
      if (isOp(tokens[i], "(")) {
        out.push(...elementList(tokens, i, Math.min(b, closingParen(tokens, i)), table));
        continue;
      }
      if (isWord(tokens[i], "COLUMN")) i++;
      if (isWord(tokens[i], "IF")) i += 3;
      const c = tokens[i];
      if (!isName(c) || (c.kind === "word" && (NOT_A_COLUMN.has(c.value) || c.value === "PARTITION"))) continue;
      adding = true;
      out.push(columnAt(tokens, i, b, table));
    } else if (action === "MODIFY" || action === "CHANGE") {
      if (isWord(tokens[i], "COLUMN")) i++;
      if (action === "CHANGE") i++;
      if (isName(tokens[i])) out.push(columnAt(tokens, i, b, table));
    } else if (action === "ALTER") {
      if (isWord(tokens[i], "COLUMN")) i++;
      const name = i;
      if (!isName(tokens[name])) continue;
      i++;
      if (isWord(tokens[i], "SET") && isWord(tokens[i + 1], "DATA")) i += 2;
      if (isWord(tokens[i], "TYPE")) out.push(columnAt(tokens, name, b, table, i + 1));
      else if (tokens[i]?.kind === "word" && !["SET", "DROP", "ADD", "RESTART", "RESET", "OPTIONS"].includes(tokens[i]!.value))
        out.push(columnAt(tokens, name, b, table));
    }
  }
  return out;
}

/** The column whose name is token `at`, with its type read from `typeAt` (default: right after the name). */
function columnAt(tokens: readonly SqlToken[], at: number, to: number, table: string, typeAt = at + 1): ColumnDefinition {
  const nameToken = tokens[at]!;
  const words: string[] = [];
  let i = typeAt;
  while (i < to && words.length < 3) {
    const t = tokens[i]!;
    // CHARACTER starts a type (`character varying(19)`) unless it is MySQL's `CHARACTER SET`.
    const characterType = t.kind === "word" && t.value === "CHARACTER" && words.length === 0 && !isWord(tokens[i + 1], "SET");
    if (t.kind === "word" && (characterType || !AFTER_TYPE.has(t.value))) {
      words.push(t.value);
      i++;
    } else if (t.kind === "op" && t.value === "." && words.length > 0) {
      words.length = 0; // schema-qualified type: keep the last part
      i++;
    } else break;
  }
  let length: number | null = null;
  let typeEnd = i;
  if (words.length > 0 && isOp(tokens[i], "(")) {
    const close = closingParen(tokens, i);
    const n = tokens[i + 1];
    if (n?.kind === "number") length = Number.parseInt(n.value, 10);
    typeEnd = Math.min(close + 1, to);
  }
  let encrypted = false;
  for (let k = typeEnd; k < to; k++) if (isWord(tokens[k], "ENCRYPTED") && isWord(tokens[k + 1], "WITH")) encrypted = true;
  return {
    table,
    name: textOf(nameToken),
    start: nameToken.start,
    end: nameToken.end,
    dataType: words.join(" "),
    length,
    typeText: words.length > 0 ? words.join(" ") + (length !== null ? `(${length})` : "") : "",
    encrypted,
  };
}

// node-sql-parser's AST shapes differ by dialect; read them defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function astName(column: Loose): string {
  if (typeof column === "string") return column;
  const value = column?.expr?.value ?? column?.value;
  return typeof value === "string" ? value : "";
}

function astColumns(ast: Loose[] | null): Array<Omit<ColumnDefinition, "start" | "end">> {
  const out: Array<Omit<ColumnDefinition, "start" | "end">> = [];
  for (const node of ast ?? []) {
    const table = typeof node?.table?.[0]?.table === "string" ? (node.table[0].table as string).split(".").pop()! : "";
    const defs: Loose[] =
      node?.type === "create" && node.keyword === "table" && Array.isArray(node.create_definitions)
        ? node.create_definitions
        : node?.type === "alter" && Array.isArray(node.expr)
          ? node.expr.filter((e: Loose) => e?.action === "add")
          : [];
    for (const def of defs) {
      if (def?.resource !== "column") continue;
      const name = astName(def.column?.column);
      if (!name) continue;
      const dataType = typeof def.definition?.dataType === "string" ? (def.definition.dataType as string).toUpperCase() : "";
      const length = typeof def.definition?.length === "number" ? (def.definition.length as number) : null;
      out.push({ table, name, dataType, length, typeText: dataType ? dataType + (length !== null ? `(${length})` : "") : "", encrypted: false });
    }
  }
  return out;
}
