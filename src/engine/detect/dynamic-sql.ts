/**
 * Finds dynamic SQL inside stored procedures and functions that is built by pasting a caller's
 * value into the SQL text: MySQL `SET @s = CONCAT('… ', p_name); PREPARE stmt FROM @s`,
 * PL/pgSQL `EXECUTE 'SELECT … ' || p_name` or `format('… %s', p_name)`, T-SQL
 * `EXEC('…' + @name)` or `sp_executesql` on such a string, and `EXECUTE IMMEDIATE`.
 *
 * node-sql-parser does not parse routine bodies, so this works on tokens: it reads the routine's
 * parameters and declared variables (with their types), every assignment, and every place SQL
 * text is executed, then follows variables back to what was concatenated into them. A value
 * counts as untrusted when it comes from a non-numeric parameter; quote_ident/quote_literal/
 * format('%I','%L'), QUOTE(), QUOTENAME(), `REPLACE(x, '''', '''''')` and numeric casts make it
 * safe, and bind parameters (`USING`, sp_executesql's parameter list) never reach the text.
 * Every token is read a bounded number of times; nesting deeper than a fixed limit is skipped.
 */
import { closingParen, isOp, isWord, splitTopLevel, tokenizeSql, type SqlToken } from "../parse/sql-tokens";

export interface DynamicSqlFinding {
  /** The untrusted value's token (statement-text offsets) where it is pasted into SQL text. */
  token: SqlToken;
  /** The parameter it comes from, as written. */
  parameter: string;
  /** How the SQL text is run: "PREPARE … FROM", "EXECUTE IMMEDIATE", "EXECUTE", "sp_executesql". */
  sink: string;
  /** The routine's name as written. */
  routine: string;
}

const ROUTINE_KINDS = new Set(["PROCEDURE", "PROC", "FUNCTION"]);
const PARAM_MODES = new Set(["IN", "OUT", "INOUT", "VARIADIC"]);
/** Types whose values cannot carry SQL syntax when pasted into SQL text. */
const SAFE_TYPES = new Set([
  "INT",
  "INTEGER",
  "BIGINT",
  "SMALLINT",
  "TINYINT",
  "MEDIUMINT",
  "INT2",
  "INT4",
  "INT8",
  "INT64",
  "SERIAL",
  "BIGSERIAL",
  "DECIMAL",
  "NUMERIC",
  "NUMBER",
  "DEC",
  "FLOAT",
  "FLOAT4",
  "FLOAT8",
  "FLOAT64",
  "DOUBLE",
  "REAL",
  "BIT",
  "BOOLEAN",
  "BOOL",
  "MONEY",
  "SMALLMONEY",
  "DATE",
  "DATETIME",
  "DATETIME2",
  "SMALLDATETIME",
  "DATETIMEOFFSET",
  "TIME",
  "TIMESTAMP",
  "TIMESTAMPTZ",
  "YEAR",
  "UUID",
  "UNIQUEIDENTIFIER",
  "BIGNUMERIC",
  "INTERVAL",
  "OID",
  "UNSIGNED",
  "SIGNED",
]);
/** Functions whose result is safe to paste into SQL text whatever their argument. */
const SANITIZERS = new Set(["QUOTE_IDENT", "QUOTE_LITERAL", "QUOTE_NULLABLE", "QUOTE", "QUOTENAME"]);
/** Functions that return a number, whatever their argument. */
const NUMERIC_RESULT = new Set([
  "LENGTH",
  "LEN",
  "CHAR_LENGTH",
  "CHARACTER_LENGTH",
  "OCTET_LENGTH",
  "COUNT",
  "ABS",
  "ROUND",
  "FLOOR",
  "CEIL",
  "CEILING",
  "SIGN",
  "MOD",
  "DATALENGTH",
  "ASCII",
]);
/** Word literals and niladic functions. */
const CONSTANT_WORDS = new Set([
  "NULL",
  "TRUE",
  "FALSE",
  "DEFAULT",
  "CURRENT_DATE",
  "CURRENT_TIME",
  "CURRENT_TIMESTAMP",
  "CURRENT_USER",
  "SESSION_USER",
  "SYSTEM_USER",
  "USER",
  "LOCALTIME",
  "LOCALTIMESTAMP",
]);
const BINARY_OPS = new Set(["||", "+", "-", "*", "/", "%", "=", "<>", "!=", "<", ">", "<=", ">=", "&", "|", "^", "->", "->>"]);
const BINARY_WORDS = new Set(["AND", "OR", "LIKE", "ILIKE", "DIV", "MOD", "REGEXP", "RLIKE", "IN", "IS", "BETWEEN", "NOT"]);
const STATEMENT_STARTS_BEFORE = new Set([";", "BEGIN", "THEN", "ELSE", "LOOP", "DO"]);
const MAX_DEPTH = 64;

/** An expression reduced to what matters here: which tokens may carry a parameter's text. */
type Expr =
  | { k: "safe" }
  | { k: "var"; token: SqlToken; name: string }
  | { k: "call"; name: string; args: Expr[]; argTokens: SqlToken[][] }
  | { k: "cast"; inner: Expr; safe: boolean }
  | { k: "chain"; parts: Expr[]; ops: string[] }
  | { k: "any"; parts: Expr[] };

/** Where a parameter's text reaches SQL text, and which parameter it is. */
interface Hit {
  token: SqlToken;
  parameter: string;
}

interface Variable {
  safe: boolean;
  parameter: boolean;
  assignments: Expr[];
}

export interface DynamicSqlScan {
  findings: DynamicSqlFinding[];
  /** The work budget ran out before every execution point was followed back. */
  exhausted: boolean;
}

/**
 * Dynamic-SQL injection points in one CREATE PROCEDURE/FUNCTION statement's tokens (none when
 * the statement is not a routine). `maxSteps` bounds the expression visits spent following
 * variables back to their assignments.
 *
 * @example
 *   const sql = "CREATE PROCEDURE p(IN n TEXT) BEGIN SET @s = CONCAT('SELECT ', n); PREPARE x FROM @s; END";
 *   findDynamicSql(tokenizeSql(sql), sql).findings[0].parameter; // "n"
 */
export function findDynamicSql(tokens: readonly SqlToken[], text: string, maxSteps = 100_000): DynamicSqlScan {
  const header = routineHeader(tokens);
  if (!header) return { findings: [], exhausted: false };
  const variables = new Map<string, Variable>();
  for (const p of header.parameters) variables.set(p.name, { safe: p.safe, parameter: true, assignments: [] });
  const body = routineBody(tokens, header.after, text);
  const analysis = new BodyAnalysis(body.tokens, variables, body.plpgsql, maxSteps);
  analysis.run();
  const findings: DynamicSqlFinding[] = [];
  const seen = new Set<number>();
  for (const sink of analysis.sinks) {
    const hit = analysis.untrusted(sink.expr, new Set());
    if (analysis.exhausted) break;
    if (!hit || seen.has(hit.token.start)) continue;
    seen.add(hit.token.start);
    findings.push({ token: hit.token, parameter: hit.parameter, sink: sink.kind, routine: header.name });
  }
  return { findings: findings.sort((a, b) => a.token.start - b.token.start), exhausted: analysis.exhausted };
}

interface Parameter {
  name: string;
  safe: boolean;
}

/** Name, parameters and the index after the parameter list of a CREATE/ALTER routine. */
function routineHeader(tokens: readonly SqlToken[]): { name: string; parameters: Parameter[]; after: number } | null {
  if (!isWord(tokens[0], "CREATE") && !isWord(tokens[0], "ALTER")) return null;
  let i = 1;
  while (i < tokens.length && i < 16 && !isOp(tokens[i], "(") && !(tokens[i]!.kind === "word" && ROUTINE_KINDS.has(tokens[i]!.value))) i++;
  if (!(tokens[i]?.kind === "word" && ROUTINE_KINDS.has(tokens[i]!.value))) return null;
  i++;
  if (isWord(tokens[i], "IF")) i += 3;
  let nameEnd = i;
  while (isOp(tokens[nameEnd + 1], ".")) nameEnd += 2;
  const nameToken = tokens[nameEnd];
  if (!nameToken || (nameToken.kind !== "word" && nameToken.kind !== "quoted")) return null;
  const name = nameToken.kind === "quoted" ? nameToken.value : nameToken.text;
  i = nameEnd + 1;
  let listEnd: number;
  if (isOp(tokens[i], "(")) {
    listEnd = closingParen(tokens, i);
    i++;
  } else {
    // T-SQL: `CREATE PROCEDURE p @a INT, @b NVARCHAR(50) AS …`
    listEnd = i;
    while (listEnd < tokens.length && !isWord(tokens[listEnd], "AS") && !isWord(tokens[listEnd], "WITH")) {
      if (isOp(tokens[listEnd], "(")) listEnd = closingParen(tokens, listEnd);
      listEnd++;
    }
  }
  const parameters: Parameter[] = [];
  let position = 0;
  for (const [a, b] of splitTopLevel(tokens, i, listEnd, ",")) {
    let k = a;
    if (tokens[k]?.kind === "word" && PARAM_MODES.has(tokens[k]!.value)) k++;
    if (k >= b) continue;
    position++;
    const first = tokens[k]!;
    const second = tokens[k + 1];
    const named = k + 1 < b && second !== undefined && (second.kind === "word" || second.kind === "quoted");
    const typeWord = named ? second.value : first.value;
    const safe = SAFE_TYPES.has(typeWord.toUpperCase()) || (named && SAFE_TYPES.has(tokens[k + 2]?.value ?? ""));
    if (named && !(first.kind === "word" && PARAM_MODES.has(first.value))) parameters.push({ name: nameOf(first), safe });
    parameters.push({ name: `$${position}`, safe });
  }
  return { name, parameters, after: Math.min(listEnd + 1, tokens.length) };
}

/** The routine body's tokens: a PostgreSQL `AS $$ … $$` string lexed on its own, else the tokens that follow. */
function routineBody(tokens: readonly SqlToken[], from: number, text: string): { tokens: SqlToken[]; plpgsql: boolean } {
  for (let i = from; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1]!;
    if (isWord(t, "AS") && next.kind === "string") {
      const inner = text.slice(next.innerStart, next.innerEnd);
      const verbatim = next.dollar || inner === next.value;
      const shift = (tok: SqlToken): SqlToken =>
        verbatim
          ? {
              ...tok,
              start: tok.start + next.innerStart,
              end: tok.end + next.innerStart,
              innerStart: tok.innerStart + next.innerStart,
              innerEnd: tok.innerEnd + next.innerStart,
            }
          : { ...tok, start: next.start, end: next.end };
      return { tokens: tokenizeSql(next.value, "postgresql").map(shift), plpgsql: true };
    }
    if (isWord(t, "BEGIN") || isWord(t, "AS") || isWord(t, "RETURN")) break;
  }
  return { tokens: tokens.slice(from), plpgsql: false };
}

function nameOf(t: SqlToken): string {
  return t.value.toLowerCase();
}

/** One pass over a routine body: declarations, assignments and execution sinks. */
class BodyAnalysis {
  readonly sinks: Array<{ kind: string; expr: Expr }> = [];
  exhausted = false;
  private steps = 0;
  /** Results for variables reached from an execution point directly (no cycle cut them short). */
  private readonly memo = new Map<Variable, Hit | null>();

  constructor(
    private readonly t: readonly SqlToken[],
    private readonly variables: Map<string, Variable>,
    private readonly plpgsql: boolean,
    private readonly maxSteps: number,
  ) {}

  run(): void {
    const t = this.t;
    let i = 0;
    while (i < t.length) i = this.step(i);
  }

  /** Handles the construct at i and returns where to continue. */
  private step(i: number): number {
    const t = this.t;
    const tok = t[i]!;
    if (tok.kind === "word") {
      switch (tok.value) {
        case "DECLARE":
          return this.plpgsql ? this.declareSection(i + 1) : this.declare(i + 1);
        case "SET":
          return this.set(i + 1);
        case "SELECT":
          return this.select(i + 1);
        case "PREPARE":
          if (t[i + 1] && isWord(t[i + 2], "FROM")) return this.sink("PREPARE … FROM", i + 3);
          return i + 1;
        case "EXECUTE":
        case "EXEC":
          return this.execute(i + 1);
      }
      const next = t[i + 1];
      if (isOp(next, ":=") || (this.plpgsql && isOp(next, "=") && STATEMENT_STARTS_BEFORE.has(t[i - 1]?.value ?? ";"))) {
        return this.assign(tok, i + 2);
      }
    }
    return i + 1;
  }

  private variable(name: string): Variable {
    let v = this.variables.get(name);
    if (!v) {
      v = { safe: false, parameter: false, assignments: [] };
      this.variables.set(name, v);
    }
    return v;
  }

  private assign(target: SqlToken, from: number): number {
    const { expr, next } = this.expression(from, 0);
    this.variable(nameOf(target)).assignments.push(expr);
    return next;
  }

  private sink(kind: string, from: number): number {
    const { expr, next } = this.expression(from, 0);
    this.sinks.push({ kind, expr });
    return next;
  }

  /** EXECUTE IMMEDIATE x, EXEC(x), EXEC sp_executesql x, or PL/pgSQL EXECUTE x. */
  private execute(i: number): number {
    const t = this.t;
    if (isWord(t[i], "IMMEDIATE")) return this.sink("EXECUTE IMMEDIATE", i + 1);
    let k = i;
    while (isOp(t[k + 1], ".") && t[k + 2]?.kind === "word") k += 2;
    if (t[k]?.kind === "word" && t[k]!.value === "SP_EXECUTESQL") return this.sink("sp_executesql", k + 1);
    return this.sink(t[i]?.kind === "op" ? "EXEC(…)" : "EXECUTE", i);
  }

  /** SET v = e [, v2 = e2] (MySQL, T-SQL; also `+=` and `:=`). */
  private set(i: number): number {
    const t = this.t;
    for (;;) {
      const target = t[i];
      const op = t[i + 1];
      if (!target || target.kind !== "word" || !(isOp(op, "=") || isOp(op, ":=") || isOp(op, "+="))) return i;
      const { expr, next } = this.expression(i + 2, 0);
      const v = this.variable(nameOf(target));
      v.assignments.push(expr);
      if (!isOp(t[next], ",")) return next;
      i = next + 1;
    }
  }

  /** T-SQL `SELECT @v = e`, MySQL/PL/pgSQL `SELECT e INTO v` (without FROM). */
  private select(i: number): number {
    const t = this.t;
    const first = t[i];
    if (first?.kind === "word" && first.value.startsWith("@") && isOp(t[i + 1], "=")) return this.assign(first, i + 2);
    const { expr, next } = this.expression(i, 0);
    if (isWord(t[next], "INTO") && t[next + 1]?.kind === "word" && !isOp(t[next + 2], ",") && !isWord(t[next + 2], "FROM")) {
      this.variable(nameOf(t[next + 1]!)).assignments.push(expr);
      return next + 2;
    }
    return Math.max(next, i);
  }

  /** MySQL `DECLARE a, b TYPE [DEFAULT e]`, T-SQL `DECLARE @a TYPE [= e], @b TYPE …`, BigQuery alike. */
  private declare(i: number): number {
    const t = this.t;
    for (;;) {
      const names: SqlToken[] = [];
      while (t[i]?.kind === "word" || t[i]?.kind === "quoted") {
        names.push(t[i]!);
        if (!isOp(t[i + 1], ",") || t[i + 2]?.value.startsWith("@") || (t[i + 2]?.kind !== "word" && t[i + 2]?.kind !== "quoted")) break;
        i += 2;
      }
      if (names.length === 0) return i;
      const type = t[i + 1];
      if (!type || isWord(type, "CURSOR") || isWord(type, "CONDITION") || isWord(type, "HANDLER") || isWord(names[0], "CONTINUE") || isWord(names[0], "EXIT"))
        return i + 1;
      i += 2;
      if (isOp(t[i], "(")) i = closingParen(t, i) + 1;
      const safe = type.kind === "word" && SAFE_TYPES.has(type.value);
      let expr: Expr | null = null;
      if (isWord(t[i], "DEFAULT") || isOp(t[i], "=")) {
        const e = this.expression(i + 1, 0);
        expr = e.expr;
        i = e.next;
      }
      for (const n of names) {
        const v = this.variable(nameOf(n));
        v.safe = safe;
        if (expr) v.assignments.push(expr);
      }
      if (!(isOp(t[i], ",") && t[i + 1]?.value.startsWith("@"))) return i;
      i++;
    }
  }

  /** PL/pgSQL `DECLARE name [CONSTANT] type [NOT NULL] [DEFAULT | := | = e]; …` up to BEGIN. */
  private declareSection(i: number): number {
    const t = this.t;
    while (i < t.length && !isWord(t[i], "BEGIN")) {
      const name = t[i]!;
      let k = i + 1;
      if (isWord(t[k], "CONSTANT")) k++;
      const type = t[k];
      let end = k;
      while (end < t.length && !isOp(t[end], ";") && !isWord(t[end], "BEGIN")) {
        if (isWord(t[end], "DEFAULT") || isOp(t[end], ":=") || isOp(t[end], "=")) {
          const e = this.expression(end + 1, 0);
          this.variable(nameOf(name)).assignments.push(e.expr);
          end = e.next;
          break;
        }
        if (isOp(t[end], "(")) end = closingParen(t, end);
        end++;
      }
      const v = this.variable(nameOf(name));
      if (isWord(type, "ALIAS") && isWord(t[k + 1], "FOR") && t[k + 2]) {
        const target = this.variables.get(nameOf(t[k + 2]!));
        if (target) this.variables.set(nameOf(name), target);
      } else v.safe = type?.kind === "word" && SAFE_TYPES.has(type.value);
      while (end < t.length && !isOp(t[end], ";") && !isWord(t[end], "BEGIN")) end++;
      i = isOp(t[end], ";") ? end + 1 : end;
    }
    return i;
  }

  /** Reads an expression from `from`; returns it and the index after it. */
  private expression(from: number, depth: number): { expr: Expr; next: number } {
    const parts: Expr[] = [];
    const ops: string[] = [];
    let i = from;
    for (;;) {
      const primary = this.primary(i, depth);
      if (!primary) break;
      parts.push(primary.expr);
      i = primary.next;
      i = this.postfix(i, parts);
      const t = this.t[i];
      if (t?.kind === "op" && BINARY_OPS.has(t.value)) {
        ops.push(t.value);
        i++;
      } else if (t?.kind === "word" && BINARY_WORDS.has(t.value)) {
        ops.push(t.value);
        i++;
        if (isWord(this.t[i], "NOT")) i++;
      } else break;
    }
    if (parts.length === 0) return { expr: { k: "safe" }, next: Math.max(i, from) };
    return { expr: parts.length === 1 ? parts[0]! : { k: "chain", parts, ops }, next: i };
  }

  /** `::type` casts, `COLLATE x`, `IS [NOT] NULL` after an operand. */
  private postfix(i: number, parts: Expr[]): number {
    const t = this.t;
    for (;;) {
      if (isOp(t[i], "::") && t[i + 1]?.kind === "word") {
        const safe = SAFE_TYPES.has(t[i + 1]!.value);
        parts[parts.length - 1] = { k: "cast", inner: parts[parts.length - 1]!, safe };
        i += 2;
        if (isOp(t[i], "(")) i = closingParen(t, i) + 1;
      } else if (isWord(t[i], "COLLATE") && t[i + 1]) i += 2;
      else if (isWord(t[i], "IS")) {
        i++;
        if (isWord(t[i], "NOT")) i++;
        if (isWord(t[i], "NULL")) i++;
        parts[parts.length - 1] = { k: "safe" };
      } else return i;
    }
  }

  private primary(i: number, depth: number): { expr: Expr; next: number } | null {
    const t = this.t;
    const tok = t[i];
    if (!tok) return null;
    if (depth > MAX_DEPTH) return isOp(tok, "(") ? { expr: { k: "safe" }, next: closingParen(t, i) + 1 } : null;
    if (tok.kind === "string" || tok.kind === "number" || (tok.kind === "param" && tok.value === "?")) return { expr: { k: "safe" }, next: i + 1 };
    if (tok.kind === "param") return { expr: { k: "var", token: tok, name: tok.value }, next: i + 1 };
    if (tok.kind === "op") {
      if (tok.value === "-" || tok.value === "+" || tok.value === "~") return this.primary(i + 1, depth + 1);
      if (tok.value !== "(") return null;
      if (isWord(t[i + 1], "SELECT") || isWord(t[i + 1], "WITH")) return { expr: { k: "safe" }, next: closingParen(t, i) + 1 };
      const close = closingParen(t, i);
      const items: Expr[] = [];
      for (const [a] of splitTopLevel(t, i + 1, close, ",")) items.push(this.expression(a, depth + 1).expr);
      return { expr: items.length === 1 ? items[0]! : { k: "any", parts: items }, next: close + 1 };
    }
    if (tok.kind === "quoted") return { expr: { k: "var", token: tok, name: nameOf(tok) }, next: i + 1 };
    if (tok.kind !== "word") return null;
    if (tok.value === "NOT") return this.primary(i + 1, depth + 1);
    if (tok.value === "CASE") return this.caseExpression(i + 1, depth);
    if (CONSTANT_WORDS.has(tok.value)) return { expr: { k: "safe" }, next: i + 1 };
    let end = i;
    while (isOp(t[end + 1], ".") && (t[end + 2]?.kind === "word" || t[end + 2]?.kind === "quoted")) end += 2;
    const last = t[end]!;
    if (isOp(t[end + 1], "(")) {
      const close = closingParen(t, end + 1);
      const argRanges = splitTopLevel(t, end + 2, close, ",");
      const name = last.value.toUpperCase();
      if ((name === "CAST" || name === "TRY_CAST" || name === "SAFE_CAST") && argRanges.length === 1) {
        const inner = this.expression(argRanges[0]![0], depth + 1);
        const type = isWord(t[inner.next], "AS") ? t[inner.next + 1] : undefined;
        return { expr: { k: "cast", inner: inner.expr, safe: type?.kind === "word" && SAFE_TYPES.has(type.value) }, next: close + 1 };
      }
      const args = argRanges.map(([a]) => this.expression(a, depth + 1).expr);
      const argTokens = argRanges.map(([a, b]) => t.slice(a, b));
      return { expr: { k: "call", name, args, argTokens }, next: close + 1 };
    }
    if (end === i && !isName(tok)) return null;
    return {
      expr: {
        k: "var",
        token: last,
        name: t
          .slice(i, end + 1)
          .map((x) => (x.kind === "op" ? "." : nameOf(x)))
          .join(""),
      },
      next: end + 1,
    };
  }

  /** CASE … END: only the THEN and ELSE results can reach the SQL text. */
  private caseExpression(i: number, depth: number): { expr: Expr; next: number } {
    const t = this.t;
    const results: Expr[] = [];
    while (i < t.length && !isWord(t[i], "END")) {
      if (isWord(t[i], "THEN") || isWord(t[i], "ELSE")) {
        const e = this.expression(i + 1, depth + 1);
        results.push(e.expr);
        i = Math.max(e.next, i + 1);
      } else if (isWord(t[i], "CASE")) {
        i = this.caseExpression(i + 1, depth + 1).next;
      } else i++;
    }
    return { expr: { k: "any", parts: results }, next: i + 1 };
  }

  /** The first token through which a parameter's text reaches `expr`'s string value, or null. Spends the work budget. */
  untrusted(expr: Expr, visiting: Set<Variable>): Hit | null {
    if (++this.steps > this.maxSteps) {
      this.exhausted = true;
      return null;
    }
    switch (expr.k) {
      case "safe":
        return null;
      case "var": {
        const v = this.variables.get(expr.name);
        if (!v || v.safe || visiting.has(v)) return null;
        if (visiting.size >= MAX_DEPTH) {
          this.exhausted = true;
          return null;
        }
        if (visiting.size === 0 && !v.parameter) {
          if (!this.memo.has(v)) this.memo.set(v, this.assignedUntrusted(v, new Set([v])));
          return this.memo.get(v)!;
        }
        visiting.add(v);
        if (v.parameter) {
          // A parameter overwritten only with escaped copies of itself (`SET @p = REPLACE(@p, , '')`) is safe.
          const cleaned = v.assignments.length > 0 && v.assignments.every((a) => !this.untrusted(a, visiting));
          visiting.delete(v);
          return cleaned ? null : { token: expr.token, parameter: expr.token.kind === "quoted" ? expr.token.value : expr.token.text };
        }
        return this.assignedUntrusted(v, visiting);
      }
      case "cast":
        return expr.safe ? null : this.untrusted(expr.inner, visiting);
      case "call":
        return this.untrustedCall(expr, visiting);
      case "chain":
        return this.untrustedChain(expr, visiting);
      case "any":
        for (const p of expr.parts) {
          const hit = this.untrusted(p, visiting);
          if (hit) return hit;
        }
        return null;
    }
  }

  private assignedUntrusted(v: Variable, visiting: Set<Variable>): Hit | null {
    for (const a of v.assignments) {
      const hit = this.untrusted(a, visiting);
      if (hit) return hit;
    }
    return null;
  }

  private untrustedCall(expr: Extract<Expr, { k: "call" }>, visiting: Set<Variable>): Hit | null {
    if (SANITIZERS.has(expr.name) || NUMERIC_RESULT.has(expr.name)) return null;
    if (expr.name === "REPLACE" && expr.argTokens[1]?.length === 1 && expr.argTokens[1][0]!.kind === "string" && expr.argTokens[1][0]!.value === "'")
      return null;
    if (expr.name === "FORMAT") {
      const first = expr.argTokens[0];
      // T-SQL FORMAT(value, 'N2') formats a number or date.
      if (!first || first.length !== 1 || first[0]!.kind !== "string") return null;
      const unsafe = unsafeFormatArguments(first[0]!.value);
      for (const index of unsafe) {
        const arg = expr.args[index];
        const hit = arg ? this.untrusted(arg, visiting) : null;
        if (hit) return hit;
      }
      return null;
    }
    if (expr.name === "CONVERT" && expr.argTokens.length >= 2) {
      // T-SQL CONVERT(type, value) or MySQL CONVERT(value, type).
      const t0 = expr.argTokens[0]![0];
      const t1 = expr.argTokens[1]![0];
      if (t0?.kind === "word" && SAFE_TYPES.has(t0.value)) return null;
      if (t1?.kind === "word" && SAFE_TYPES.has(t1.value)) return null;
    }
    for (const a of expr.args) {
      const hit = this.untrusted(a, visiting);
      if (hit) return hit;
    }
    return null;
  }

  /**
   * `a || b`, `a + b` paste text together; arithmetic, comparison and logic give numbers or
   * booleans, so only operands joined by concatenation count.
   */
  private untrustedChain(expr: Extract<Expr, { k: "chain" }>, visiting: Set<Variable>): Hit | null {
    let segment: Expr[] = [expr.parts[0]!];
    let textual = true;
    const check = () => (textual && segment.length === 1 ? this.untrusted(segment[0]!, visiting) : null);
    for (let i = 0; i < expr.ops.length; i++) {
      const op = expr.ops[i]!;
      if (op === "||" || op === "+") {
        const hit = check();
        if (hit) return hit;
        segment = [expr.parts[i + 1]!];
        textual = true;
      } else {
        segment.push(expr.parts[i + 1]!);
        textual = false;
      }
    }
    return check();
  }
}

function isName(t: SqlToken): boolean {
  return t.kind === "word" && /^[@A-Z_$\u0080-\uffff]/i.test(t.text);
}

/**
 * Indexes (into the call's arguments, so 1 = the first value) of PostgreSQL format() values
 * substituted with %s, which pastes text as-is; %I and %L quote it.
 */
function unsafeFormatArguments(format: string): number[] {
  const out: number[] = [];
  let next = 1;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    let j = i + 1;
    if (format[j] === "%") {
      i = j;
      continue;
    }
    let position = -1;
    const m = /^(\d+)\$/.exec(format.slice(j, j + 6));
    if (m) {
      position = Number(m[1]);
      j += m[0].length;
    }
    while (format[j] === "-") j++;
    if (format[j] === "*") {
      next++;
      j++;
    } else while (format[j] !== undefined && format[j]! >= "0" && format[j]! <= "9") j++;
    const type = format[j];
    const index = position > 0 ? position : next++;
    if (type === "s") out.push(index);
    i = j;
  }
  return out;
}
