/**
 * Splits a .sql file into statements at top-level semicolons, skipping quoted text, comments,
 * PostgreSQL dollar-quoted bodies and MySQL `DELIMITER` blocks, so one bad statement does not
 * hide the rest of the file from the parser. Linear in the file size.
 */

export interface SqlSpan {
  start: number;
  end: number;
}

/** Statement spans, each trimmed of surrounding whitespace and its terminator; empty ones dropped. */
export function splitSqlStatements(text: string): SqlSpan[] {
  const spans: SqlSpan[] = [];
  let delimiter = ";";
  let start = 0;
  let i = 0;
  const n = text.length;
  const push = (end: number) => {
    let a = start;
    let b = end;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a && !isOnlyComments(text.slice(a, b))) spans.push({ start: a, end: b });
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "-" && text[i + 1] === "-") {
      i = lineEnd(text, i);
    } else if (c === "#" && delimiter !== "#") {
      i = lineEnd(text, i);
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      i = quoteEnd(text, i, c);
    } else if (c === "$") {
      const m = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64));
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        i = close === -1 ? n : close + m[0].length;
      } else i++;
    } else if ((i === 0 || text[i - 1] === "\n") && /^delimiter[ \t]+\S/i.test(text.slice(i, i + 12))) {
      push(i);
      const eol = lineEnd(text, i);
      delimiter = text.slice(i + 9, eol).trim() || ";";
      i = eol;
      start = i;
    } else if (text.startsWith(delimiter, i)) {
      push(i);
      i += delimiter.length;
      start = i;
    } else {
      i++;
    }
  }
  push(n);
  return spans;
}

function lineEnd(text: string, from: number): number {
  const e = text.indexOf("\n", from);
  return e === -1 ? text.length : e;
}

function quoteEnd(text: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && quote !== "`") i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

function isOnlyComments(s: string): boolean {
  return s.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, "").trim() === "";
}
