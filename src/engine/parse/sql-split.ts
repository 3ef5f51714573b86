/**
 * Splits a .sql file into statements, so one statement the parser rejects does not hide the
 * rest of the file. Statements end at a top-level `;`, at the current MySQL client `DELIMITER`,
 * or at a T-SQL `GO` line; quotes, comments and PostgreSQL dollar-quoted bodies never end one.
 * The `;`s inside a BEGIN … END block (a MySQL procedure written without DELIMITER, a T-SQL
 * `IF … BEGIN … END`) do not split it, and a T-SQL procedure body runs to its `GO`. Built on the
 * shared lexer, so it is linear in the file size whatever the input.
 */
import type { SqlDialect } from "../types";
import { SqlScanner } from "./sql-tokens";

export interface SqlSpan {
  /** Offset of the statement's first token (leading comments are not part of it). */
  start: number;
  /** Offset just past its last token (the terminator and trailing comments are not part of it). */
  end: number;
}

export interface SplitOptions {
  /** The file's dialect when the user chose one; otherwise the lexer's "auto" choices apply. */
  dialect?: SqlDialect;
}

/** Words after BEGIN that make it a transaction statement rather than a block. */
const BEGIN_TRANSACTION = new Set(["TRANSACTION", "TRAN", "WORK", "DISTRIBUTED", "ISOLATION", "READ", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"]);
/** Words after END that close a construct the splitter does not count (END IF, END LOOP …). */
const END_OF_UNCOUNTED = new Set(["IF", "LOOP", "WHILE", "REPEAT", "FOR"]);
const ROUTINE_KINDS = new Set(["PROCEDURE", "PROC", "FUNCTION", "TRIGGER"]);
/** Tokens after which BEGIN is a column name or a value, not a block. */
const NOT_BEFORE_BLOCK = new Set([",", "(", ".", "=", "SELECT"]);

/**
 * Statement spans of a SQL file, in order; statements holding only comments are dropped.
 *
 * @example
 *   splitSqlStatements("SELECT 1; -- note\nSELECT ';';") // [{start: 0, end: 8}, {start: 18, end: 28}]
 */
export function splitSqlStatements(text: string, options: SplitOptions = {}): SqlSpan[] {
  const spans: SqlSpan[] = [];
  const scanner = new SqlScanner(text, options.dialect ?? "auto");
  const goFile = options.dialect === undefined || options.dialect === "transactsql" ? hasGoLine(text) : false;
  let first = -1;
  let last = -1;
  let depth = 0;
  let words = 0;
  let firstWord = "";
  let routine = false;
  let pendingBegin = false;
  let previous = "";

  const finish = () => {
    if (first !== -1) spans.push({ start: first, end: last });
    first = last = -1;
    depth = words = 0;
    firstWord = previous = "";
    routine = pendingBegin = false;
  };

  while (scanner.next()) {
    const { kind, start, end } = scanner;
    if (kind === "op" && scanner.delimiter !== ";" && text.startsWith(scanner.delimiter, start) && end - start === scanner.delimiter.length) {
      finish();
      continue;
    }
    if (kind === "word" && scanner.atLineStart && (end - start === 9 || end - start === 2)) {
      const word = text.slice(start, end).toUpperCase();
      if (word === "DELIMITER" && isDelimiterDirective(text, end)) {
        finish();
        const eol = lineEndOf(text, end);
        scanner.delimiter = text.slice(end, eol).trim().split(/[ \t]/)[0] || ";";
        scanner.seek(eol, false);
        continue;
      }
      if (word === "GO" && goFile && isGoLine(text, end)) {
        finish();
        scanner.seek(lineEndOf(text, end), false);
        continue;
      }
    }
    // Only short words matter here (BEGIN, CASE, END, CREATE, PROCEDURE…): skip upper-casing long ones.
    const value = kind === "word" ? (end - start <= 11 ? text.slice(start, end).toUpperCase() : "") : kind === "op" ? text.slice(start, end) : "";
    if (pendingBegin) {
      pendingBegin = false;
      if (!(kind === "word" && BEGIN_TRANSACTION.has(value)) && !(kind === "op" && value === ";")) depth++;
    }
    if (kind === "op" && value === ";" && scanner.delimiter === ";") {
      if (depth === 0 && !(routine && goFile)) {
        finish();
        continue;
      }
    }
    if (first === -1) first = start;
    last = end;
    if (kind === "word") {
      if (words === 0) firstWord = value;
      else if (words < 8 && (firstWord === "CREATE" || firstWord === "ALTER") && ROUTINE_KINDS.has(value)) routine = true;
      words++;
      if (value === "BEGIN" && !NOT_BEFORE_BLOCK.has(previous)) pendingBegin = true;
      else if (value === "CASE") depth++;
      else if (value === "END" && depth > 0 && !END_OF_UNCOUNTED.has(peekWord(text, end))) depth--;
    }
    previous = value;
  }
  finish();
  return spans;
}

function lineEndOf(text: string, from: number): number {
  const e = text.indexOf("\n", from);
  return e === -1 ? text.length : e;
}

/** `DELIMITER` followed on its line by blanks and a new delimiter. */
function isDelimiterDirective(text: string, after: number): boolean {
  const c = text[after];
  if (c !== " " && c !== "\t") return false;
  return text.slice(after, lineEndOf(text, after)).trim() !== "";
}

/** `GO`, optionally a repeat count, optionally a `--` comment, then the end of the line. */
function isGoLine(text: string, after: number): boolean {
  const rest = text.slice(after, lineEndOf(text, after));
  const comment = rest.indexOf("--");
  return /^\d*$/.test((comment === -1 ? rest : rest.slice(0, comment)).trim());
}

/** Whether any line of the file is a T-SQL batch separator. One linear pass over line starts. */
function hasGoLine(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (text[j] === " " || text[j] === "\t") j++;
    if (
      (text[j] === "G" || text[j] === "g") &&
      (text[j + 1] === "O" || text[j + 1] === "o") &&
      (j + 2 >= text.length || !/[A-Za-z0-9_]/.test(text[j + 2]!)) &&
      isGoLine(text, j + 2)
    )
      return true;
    const e = text.indexOf("\n", i);
    if (e === -1) break;
    i = e + 1;
  }
  return false;
}

/** The upper-cased word that follows `from` (after blanks), or "" when the next thing is not a word. */
function peekWord(text: string, from: number): string {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  let j = i;
  while (j < text.length && /[A-Za-z_]/.test(text[j]!)) j++;
  return text.slice(i, j).toUpperCase();
}
