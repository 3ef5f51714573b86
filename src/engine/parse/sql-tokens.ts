/**
 * A small, dialect-aware SQL lexer shared by the statement splitter and the SQL audit rules.
 * node-sql-parser rejects much real-world SQL (procedure bodies, GRANT variants, vendor DDL)
 * and gives offsets for few nodes, so rules that must still see such statements, or must point
 * at an exact token, read tokens. Quotes, comments and dollar-quoted bodies are handled so a
 * keyword inside a string is never mistaken for code. One pass, linear in the text: every
 * construct that is left open (quote, comment, dollar body) runs to the end of the text.
 */
import type { SqlDialect } from "../types";
import type { SqlStatement } from "./sql-statement";

/** "auto" lexes SQL of unknown dialect with the choices least likely to mis-split any of them. */
export type SqlLexDialect = SqlDialect | "auto";

export type SqlTokenKind =
  /** Keyword or identifier, including `@var`, `@@var` and T-SQL `#temp`. */
  | "word"
  /** Quoted identifier: `"x"` (outside MySQL/BigQuery), `` `x` ``, T-SQL/SQLite `[x]`. */
  | "quoted"
  /** String literal, with any prefix (`N'…'`, `E'…'`, `X'…'`), or a `$tag$…$tag$` body. */
  | "string"
  | "number"
  /** Positional or anonymous bind parameter: `$1`, `?`. */
  | "param"
  | "op";

export interface SqlToken {
  kind: SqlTokenKind;
  /** Character range in the lexed text. */
  start: number;
  end: number;
  /** The token as written. */
  text: string;
  /**
   * Words: upper-cased text. Quoted identifiers: the name without quotes. Strings: the content
   * with doubled quotes and backslash escapes resolved. Others: the raw text.
   */
  value: string;
  /** Strings and quoted identifiers: the range of the content inside the quotes. */
  innerStart: number;
  innerEnd: number;
  /** String delimited by dollar quotes (a PostgreSQL function body, usually). */
  dollar: boolean;
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Quote = 39,
  LeftParen = 40,
  Star = 42,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Question = 63,
  At = 64,
  LeftBracket = 91,
  Backslash = 92,
  RightBracket = 93,
  Underscore = 95,
  Backtick = 96,
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.CarriageReturn || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore || (c > 127 && !isSpace(c));
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === Ch.Dollar || c === Ch.At || c === Ch.Hash;
}

const MULTI_OPS = ["->>", "||", "::", ":=", "<=", ">=", "<>", "!=", "+=", "-=", "*=", "/=", "->", "=>"];
const MULTI_OP_STARTS = new Set(MULTI_OPS.map((op) => op.charCodeAt(0)));
const STRING_PREFIXES = new Set(["N", "E", "X", "B", "R", "RB", "BR"]);

/**
 * A reusable scanner: `next()` moves to the following token and exposes it through mutable
 * fields, so the splitter walks a large file without allocating a token per word.
 */
export class SqlScanner {
  kind: SqlTokenKind = "op";
  start = 0;
  end = 0;
  innerStart = 0;
  innerEnd = 0;
  dollar = false;
  /** True when the current token is the first token on its line. */
  atLineStart = true;
  /** Whether backslash escapes were active in the current string token. */
  backslashes = false;
  /** A custom statement delimiter (MySQL `DELIMITER //`): lexed as one "op" token. */
  delimiter = ";";
  pos = 0;
  private lineFlag = true;
  private bracketFailUntil = -1;
  private readonly hashComments: "always" | "never" | "auto";
  private readonly backslashStrings: boolean;
  private readonly doubleQuoteIsString: boolean;
  private readonly brackets: boolean;
  private readonly dollarQuotes: boolean;
  private readonly tripleQuotes: boolean;
  private readonly nestedComments: boolean;

  constructor(
    readonly text: string,
    readonly dialect: SqlLexDialect = "auto",
    from = 0,
  ) {
    this.pos = from;
    const mysqlLike = dialect === "mysql" || dialect === "mariadb";
    this.hashComments = mysqlLike || dialect === "bigquery" ? "always" : dialect === "auto" ? "auto" : "never";
    this.backslashStrings = mysqlLike || dialect === "bigquery" || dialect === "auto";
    this.doubleQuoteIsString = mysqlLike || dialect === "bigquery";
    this.brackets = dialect === "transactsql" || dialect === "sqlite" || dialect === "auto";
    this.dollarQuotes = dialect === "postgresql" || dialect === "auto";
    this.tripleQuotes = dialect === "bigquery";
    this.nestedComments = dialect === "postgresql";
  }

  /** Skips whitespace and comments, then reads one token. False at the end of the text. */
  next(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    let lineStart = this.lineFlag;
    this.lineFlag = false;
    for (;;) {
      if (i >= n) {
        this.pos = n;
        return false;
      }
      const c = text.charCodeAt(i);
      if (c === Ch.Newline) {
        lineStart = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (c === Ch.Minus && text.charCodeAt(i + 1) === Ch.Minus) {
        i = lineEnd(text, i);
      } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
        i = this.blockCommentEnd(i);
        lineStart = false;
      } else if (c === Ch.Hash && this.isHashComment(i, lineStart)) {
        i = lineEnd(text, i);
      } else break;
    }
    this.atLineStart = lineStart;
    this.start = i;
    this.dollar = false;
    this.backslashes = false;
    this.innerStart = this.innerEnd = i;
    if (this.delimiter !== ";" && text.startsWith(this.delimiter, i)) {
      this.kind = "op";
      this.end = this.pos = i + this.delimiter.length;
      return true;
    }
    const c = text.charCodeAt(i);
    if (c === Ch.Quote) {
      this.lexString(i, i, Ch.Quote, this.backslashStrings);
    } else if (c === Ch.DoubleQuote) {
      this.lexString(i, i, Ch.DoubleQuote, this.backslashStrings);
      if (!this.doubleQuoteIsString) this.kind = "quoted";
    } else if (c === Ch.Backtick) {
      this.lexString(i, i, Ch.Backtick, false);
      this.kind = "quoted";
    } else if (c === Ch.LeftBracket && this.brackets && this.lexBracket(i)) {
      // lexBracket set the fields
    } else if (c === Ch.Dollar && this.dollarQuotes && this.lexDollar(i)) {
      // lexDollar set the fields
    } else if (c === Ch.Dollar && isDigit(text.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      this.kind = "param";
      this.end = j;
    } else if (c === Ch.Question) {
      this.kind = "param";
      this.end = i + 1;
    } else if (isDigit(c) || (c === Ch.Dot && isDigit(text.charCodeAt(i + 1)))) {
      this.end = numberEnd(text, i);
      this.kind = "number";
    } else if (isWordStart(c) || c === Ch.At || c === Ch.Hash) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      if ((next === Ch.Quote || (next === Ch.DoubleQuote && this.doubleQuoteIsString)) && j - i <= 2 && STRING_PREFIXES.has(text.slice(i, j).toUpperCase())) {
        const prefix = text.slice(i, j).toUpperCase();
        const escapes = prefix === "E" ? true : prefix.includes("R") ? false : this.backslashStrings;
        this.lexString(i, j, next, escapes);
      } else {
        this.kind = "word";
        this.end = j;
      }
    } else {
      this.kind = "op";
      this.end = i + 1;
      if (MULTI_OP_STARTS.has(c)) {
        for (const op of MULTI_OPS) {
          if (text.startsWith(op, i)) {
            this.end = i + op.length;
            break;
          }
        }
      }
    }
    this.pos = this.end;
    return true;
  }

  /** Moves the scanner to `pos` (the next token is read from there). */
  seek(pos: number, atLineStart: boolean): void {
    this.pos = pos;
    this.lineFlag = atLineStart;
  }

  private isHashComment(i: number, lineStart: boolean): boolean {
    if (this.hashComments === "always") return true;
    if (this.hashComments === "never") return false;
    // Unknown dialect: MySQL `# comment` lines, but not T-SQL `#temp` tables or PostgreSQL `#>`.
    const next = this.text.charCodeAt(i + 1);
    return lineStart || Number.isNaN(next) || isSpace(next);
  }

  private blockCommentEnd(from: number): number {
    const text = this.text;
    if (!this.nestedComments) {
      const close = text.indexOf("*/", from + 2);
      return close === -1 ? text.length : close + 2;
    }
    let depth = 1;
    let i = from + 2;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === Ch.Star && text.charCodeAt(i + 1) === Ch.Slash) {
        i += 2;
        if (--depth === 0) return i;
      } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
        depth++;
        i += 2;
      } else i++;
    }
    return text.length;
  }

  /** A quoted run from `quoteAt`, with doubled quotes and (optionally) backslash escapes. */
  private lexString(start: number, quoteAt: number, quote: number, escapes: boolean): void {
    const text = this.text;
    const n = text.length;
    this.kind = "string";
    this.backslashes = escapes;
    if (this.tripleQuotes && quote !== Ch.Backtick && text.charCodeAt(quoteAt + 1) === quote && text.charCodeAt(quoteAt + 2) === quote) {
      const q = text.slice(quoteAt, quoteAt + 3);
      let j = quoteAt + 3;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === Ch.Backslash && escapes) j += 2;
        else if (text.startsWith(q, j)) break;
        else j++;
      }
      this.innerStart = quoteAt + 3;
      this.innerEnd = Math.min(j, n);
      this.end = Math.min(j + 3, n);
      this.start = start;
      return;
    }
    let j = quoteAt + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === Ch.Backslash && escapes) j += 2;
      else if (c === quote) {
        if (text.charCodeAt(j + 1) === quote) j += 2;
        else break;
      } else j++;
    }
    this.innerStart = quoteAt + 1;
    this.innerEnd = Math.min(j, n);
    this.end = Math.min(j + 1, n);
  }

  /** `[identifier]`, closed on the same line; a subscript like `a[1]` stays punctuation. */
  private lexBracket(i: number): boolean {
    const text = this.text;
    if (i <= this.bracketFailUntil) return false;
    const prev = i > 0 ? text.charCodeAt(i - 1) : Ch.Space;
    if (isWordPart(prev) || prev === Ch.RightBracket || prev === 41 /* ) */) return false;
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === Ch.Newline) break;
      if (c === Ch.RightBracket) {
        if (text.charCodeAt(j + 1) === Ch.RightBracket) {
          j += 2;
          continue;
        }
        this.kind = "quoted";
        this.innerStart = i + 1;
        this.innerEnd = j;
        this.end = j + 1;
        return true;
      }
      j++;
    }
    this.bracketFailUntil = j;
    return false;
  }

  /** `$tag$ … $tag$` (PostgreSQL). A `$` inside an identifier or before a digit is not one. */
  private lexDollar(i: number): boolean {
    const text = this.text;
    const prev = i > 0 ? text.charCodeAt(i - 1) : Ch.Space;
    if (prev !== Ch.Dollar && isWordPart(prev)) return false;
    let j = i + 1;
    if (j < text.length && isWordStart(text.charCodeAt(j))) {
      j++;
      while (j < text.length && (isWordStart(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
    }
    if (text.charCodeAt(j) !== Ch.Dollar) return false;
    const tag = text.slice(i, j + 1);
    const close = text.indexOf(tag, j + 1);
    this.kind = "string";
    this.dollar = true;
    this.innerStart = j + 1;
    this.innerEnd = close === -1 ? text.length : close;
    this.end = close === -1 ? text.length : close + tag.length;
    return true;
  }
}

function lineEnd(text: string, from: number): number {
  const e = text.indexOf("\n", from);
  return e === -1 ? text.length : e;
}

function numberEnd(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i) === Ch.Zero && (text[i + 1] === "x" || text[i + 1] === "X")) {
    let j = i + 2;
    while (j < n && isHexDigit(text.charCodeAt(j))) j++;
    return j;
  }
  let j = i;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === Ch.Dot) {
    j++;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
  }
  if (text[j] === "e" || text[j] === "E") {
    let k = j + 1;
    if (text[k] === "+" || text[k] === "-") k++;
    if (isDigit(text.charCodeAt(k))) {
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}

/** The content of a string token with doubled quotes and backslash escapes resolved. */
function unquote(text: string, start: number, end: number, quote: string, backslashes: boolean): string {
  const raw = text.slice(start, end);
  if (!raw.includes(quote) && !(backslashes && raw.includes("\\"))) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (backslashes && c === "\\" && i + 1 < raw.length) {
      const e = raw[++i]!;
      out += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === "0" ? "\u0000" : e;
    } else if (c === quote && raw[i + 1] === quote) {
      out += c;
      i++;
    } else out += c;
  }
  return out;
}

/**
 * Every token of a SQL text, in order (comments and whitespace dropped).
 *
 * @example
 *   tokenizeSql("SELECT 'a;b' -- c\nFROM t").map((t) => t.value); // ["SELECT", "a;b", "FROM", "T"]
 */
export function tokenizeSql(text: string, dialect: SqlLexDialect = "auto"): SqlToken[] {
  const scanner = new SqlScanner(text, dialect);
  const tokens: SqlToken[] = [];
  while (scanner.next()) tokens.push(tokenFrom(scanner));
  return tokens;
}

function tokenFrom(s: SqlScanner): SqlToken {
  const text = s.text;
  let value: string;
  if (s.kind === "word") value = text.slice(s.start, s.end).toUpperCase();
  else if (s.kind === "string" || s.kind === "quoted") {
    const quoteChar = s.dollar ? "" : text[s.innerStart - 1]!;
    const closing = quoteChar === "[" ? "]" : quoteChar;
    value = s.dollar ? text.slice(s.innerStart, s.innerEnd) : unquote(text, s.innerStart, s.innerEnd, closing, s.backslashes);
  } else value = text.slice(s.start, s.end);
  return {
    kind: s.kind,
    start: s.start,
    end: s.end,
    text: text.slice(s.start, s.end),
    value,
    innerStart: s.innerStart,
    innerEnd: s.innerEnd,
    dollar: s.dollar,
  };
}

const tokenCache = new WeakMap<SqlStatement, SqlToken[]>();

/**
 * The tokens of a statement's text, lexed once per statement and shared by all rules. A
 * statement that parsed is lexed in the dialect that parsed it; one that did not, in "auto".
 */
export function statementTokens(statement: SqlStatement): SqlToken[] {
  let tokens = tokenCache.get(statement);
  if (!tokens) {
    tokens = tokenizeSql(statement.text, statement.ast ? statement.dialect : "auto");
    tokenCache.set(statement, tokens);
  }
  return tokens;
}

/** True when the token is the word `word` (upper-case). */
export function isWord(token: SqlToken | undefined, word: string): boolean {
  return token !== undefined && token.kind === "word" && token.value === word;
}

/** True when the token is the punctuation or operator `op`. */
export function isOp(token: SqlToken | undefined, op: string): boolean {
  return token !== undefined && token.kind === "op" && token.value === op;
}

/** Index of the `)` that closes the `(` at `open`, or tokens.length when it is never closed. */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "op") continue;
    if (t.value === "(") depth++;
    else if (t.value === ")" && --depth === 0) return i;
  }
  return tokens.length;
}

/** [a, b) ranges between the separators `sep` at nesting depth 0 in tokens[from, to); empty parts included. */
export function splitTopLevel(tokens: readonly SqlToken[], from: number, to: number, sep: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind !== "op") continue;
    if (t.value === "(") depth++;
    else if (t.value === ")") depth--;
    else if (t.value === sep && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  if (to > start) out.push([start, to]);
  return out;
}

/** [from, to) token ranges between top-level semicolons (one range per statement of a body). */
export function statementRanges(tokens: readonly SqlToken[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  tokens.forEach((t, i) => {
    if (isOp(t, ";")) {
      if (i > from) out.push([from, i]);
      from = i + 1;
    }
  });
  if (tokens.length > from) out.push([from, tokens.length]);
  return out;
}

const WRITES = new Set(["INSERT", "UPDATE", "REPLACE", "MERGE", "UPSERT"]);

function columnName(t: SqlToken): string {
  return t.kind === "quoted" ? t.value : t.text;
}

/** Column names of an INSERT's `(a, b, c)` list, by position, or [] when there is none. */
function insertColumns(tokens: readonly SqlToken[], from: number, to: number): string[] {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isWord(t, "VALUES") || isWord(t, "SELECT") || isWord(t, "SET")) return [];
    if (isOp(t, "(")) {
      const close = closingParen(tokens, i);
      const names: string[] = [];
      for (let k = i + 1; k < close; k++) {
        const c = tokens[k]!;
        if ((c.kind === "word" || c.kind === "quoted") && (isOp(tokens[k + 1], ",") || k + 1 === close)) names.push(columnName(c));
      }
      return names;
    }
  }
  return [];
}

/** A literal an INSERT, UPDATE, REPLACE or MERGE writes, with the column it goes to when the statement says. */
export interface WrittenLiteral {
  /** The statement's verb: "INSERT", "UPDATE", … */
  verb: string;
  token: SqlToken;
  /** `col = '…'`, or the INSERT column list's entry at the literal's VALUES position; "" when unknown. */
  column: string;
}

/**
 * The string, number and double-quoted literals that write statements in `tokens` store, each
 * with its column, in one pass. `wanted` filters tokens before the column is worked out.
 */
export function* writtenLiterals(tokens: readonly SqlToken[], wanted: (t: SqlToken) => boolean): Generator<WrittenLiteral> {
  let from = 0;
  for (let end = 0; end <= tokens.length; end++) {
    if (end < tokens.length && !isOp(tokens[end], ";")) continue;
    const first = tokens[from];
    if (first?.kind === "word" && WRITES.has(first.value)) {
      const columns = isWord(first, "INSERT") || isWord(first, "REPLACE") ? insertColumns(tokens, from + 1, end) : [];
      // Position inside each open parenthesis, so a VALUES literal knows its column in one pass.
      const positions: number[] = [];
      let inValues = false;
      for (let i = from + 1; i < end; i++) {
        const t = tokens[i]!;
        if (t.kind === "op") {
          if (t.value === "(") positions.push(0);
          else if (t.value === ")") positions.pop();
          else if (t.value === "," && positions.length > 0) positions[positions.length - 1]!++;
          continue;
        }
        if (isWord(t, "VALUES")) inValues = true;
        const literal = t.kind === "string" || t.kind === "number" || (t.kind === "quoted" && t.text.startsWith('"'));
        if (!literal || !wanted(t)) continue;
        const assigned = isOp(tokens[i - 1], "=") ? tokens[i - 2] : undefined;
        const column =
          assigned && (assigned.kind === "word" || assigned.kind === "quoted")
            ? columnName(assigned)
            : inValues && positions.length === 1
              ? (columns[positions[0]!] ?? "")
              : "";
        yield { verb: first.value, token: t, column };
      }
    }
    from = end + 1;
  }
}
