/**
 * Where a hole sits in the language of its sink: inside a quoted SQL string or a numeric
 * position, a shell argument or a single-quoted word, a JavaScript string or expression, an
 * HTML attribute value or text, a URL's host or path... The simulator picks payloads by this
 * context, so each detector reads the text rendered before the hole (earlier holes already
 * filled with benign values) with a small lexer that only needs to know the state it ends in.
 */
import type { SimulatedKind, SqlDialect } from "../types";
import { htmlEndState, URL_ATTRIBUTES } from "./html";
import { shellEndMode } from "./shell";

export type ContextId =
  | "sql-statement"
  | "sql-string"
  | "sql-like"
  | "sql-quoted-identifier"
  | "sql-numeric"
  | "sql-identifier"
  | "sql-order-by"
  | "sql-comment-line"
  | "sql-comment-block"
  | "shell-unquoted"
  | "shell-single"
  | "shell-double"
  | "shell-comment"
  | "js-string"
  | "js-template"
  | "js-expression"
  | "js-regex"
  | "js-comment-line"
  | "js-comment-block"
  | "html-text"
  | "html-tag"
  | "html-attr"
  | "html-attr-unquoted"
  | "html-url-attr"
  | "html-rawtext"
  | "html-comment"
  | "html-plaintext"
  | "path-segment-start"
  | "path-segment-middle"
  | "url-full"
  | "url-host"
  | "url-after-host"
  | "url-path"
  | "url-query"
  | "url-fragment"
  | "nosql-document"
  | "nosql-value"
  | "nosql-string"
  | "nosql-js-string"
  | "nosql-js-code"
  | "xpath-string"
  | "xpath-expression"
  | "ldap-filter"
  | "ldap-filter-value"
  | "ldap-dn"
  | "ldap-dn-value";

export interface HoleContext {
  id: ContextId;
  /** The delimiter that closes the construct the hole sits in: a quote, "]", or a "$tag$". */
  quote?: string;
  /** The raw-text element (script, style, textarea…) around the hole. */
  tag?: string;
  /** The attribute whose value holds the hole. */
  attribute?: string;
  /** In words, for evidence: "inside a single-quoted SQL string". */
  description: string;
  /** For SQL holes: the dialect the statement is parsed in (some payloads are one dialect's). */
  dialect?: SqlDialect;
}

/**
 * Detects the context of a hole from the text rendered before it.
 *
 * @example detectContext("sql", "SELECT * FROM t WHERE name = '") // { id: "sql-string", quote: "'", ... }
 */
export function detectContext(kind: SimulatedKind, prefix: string, dialect: SqlDialect = "mysql", serverJs = false): HoleContext {
  switch (kind) {
    case "sql":
      return { ...sqlContext(prefix, dialect), dialect };
    case "shell":
      return shellContext(prefix);
    case "js":
      return jsContext(prefix);
    case "html":
      return htmlContext(prefix);
    case "path":
      return prefix === "" || prefix.endsWith("/")
        ? { id: "path-segment-start", description: "at the start of a path segment" }
        : { id: "path-segment-middle", description: "in the middle of a file or directory name" };
    case "url":
      return urlContext(prefix);
    case "nosql": {
      if (serverJs) return serverJsContext(prefix);
      if (prefix.trim() === "") return { id: "nosql-document", description: "as the whole query document" };
      if (prefix.trimEnd().endsWith("...")) return { id: "nosql-document", description: "as an object spread into the query document" };
      const js = jsContext(prefix);
      return js.id === "js-string"
        ? { id: "nosql-string", quote: js.quote, description: "inside a string of the query document" }
        : { id: "nosql-value", description: "as a value of the query document" };
    }
    case "xpath":
      return xpathContext(prefix);
    case "ldap":
      return ldapContext(prefix);
  }
}

/** A hole in JavaScript the database server runs ($where, $function bodies, mapReduce functions). */
function serverJsContext(prefix: string): HoleContext {
  const js = jsContext(prefix);
  if (js.id === "js-string" || js.id === "js-template")
    return { id: "nosql-js-string", quote: js.quote, description: `inside a string of the server-side JavaScript` };
  if (js.id === "js-expression") return { id: "nosql-js-code", description: "as server-side JavaScript code" };
  return js;
}

// XPath, LDAP ----------------------------------------------------------------------------------

/** Inside an XPath string literal (which has no escapes: the other quote is plain text) or in the expression. */
function xpathContext(prefix: string): HoleContext {
  let i = 0;
  for (;;) {
    const single = prefix.indexOf("'", i);
    const double = prefix.indexOf('"', i);
    if (single < 0 && double < 0) return { id: "xpath-expression", description: "in an XPath expression, outside a string" };
    const at = single < 0 ? double : double < 0 ? single : Math.min(single, double);
    const quote = prefix[at]!;
    const end = prefix.indexOf(quote, at + 1);
    if (end < 0) return { id: "xpath-string", quote, description: `inside a ${quote === "'" ? "single" : "double"}-quoted XPath string` };
    i = end + 1;
  }
}

/**
 * A filter (text starting with "("): in an assertion value after "=", or where a filter
 * component goes. Otherwise a DN: in a value after "=", or where an attribute type goes.
 */
function ldapContext(prefix: string): HoleContext {
  const text = prefix.trimStart();
  let last = "";
  for (let i = text.length - 1; i >= 0 && i >= text.length - 2_000; i--) {
    const c = text[i]!;
    if (c === "=" || c === "(" || c === ")" || c === "," || c === "+" || c === "&" || c === "|" || c === "!") {
      if (text[i - 1] === "\\") continue;
      last = c;
      break;
    }
  }
  if (text === "" || text.startsWith("(")) {
    return last === "="
      ? { id: "ldap-filter-value", description: "in an LDAP filter's assertion value" }
      : { id: "ldap-filter", description: "as an LDAP filter component" };
  }
  return last === "=" ? { id: "ldap-dn-value", description: "in an attribute value of an LDAP DN" } : { id: "ldap-dn", description: "as part of an LDAP DN" };
}

// SQL ----------------------------------------------------------------------------------------

const SQL_CLAUSES = new Set(["SELECT", "FROM", "WHERE", "HAVING", "LIMIT", "OFFSET", "SET", "VALUES", "JOIN", "ON", "INTO", "UPDATE"]);
const SQL_TABLE_KEYWORDS = new Set(["FROM", "JOIN", "INTO", "UPDATE", "TABLE"]);
const SQL_COLUMN_KEYWORDS = new Set(["SELECT", "DISTINCT", "AS", "SET"]);
const SQL_NUMBER_KEYWORDS = new Set(["LIMIT", "OFFSET", "TOP"]);

function sqlContext(text: string, dialect: SqlDialect): HoleContext {
  // MySQL-family strings take backslash escapes and use " for strings; standard SQL uses " for names.
  const mysqlFamily = dialect === "mysql" || dialect === "mariadb" || dialect === "bigquery";
  const n = text.length;
  let last = "";
  let beforeLast = "";
  let clause = "";
  const push = (token: string): void => {
    beforeLast = last;
    last = token;
    if (SQL_CLAUSES.has(token)) clause = token;
    else if (token === "BY" && (beforeLast === "ORDER" || beforeLast === "GROUP")) clause = beforeLast + " BY";
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (c <= 32) {
      i++;
    } else if ((ch === "-" && text[i + 1] === "-") || (ch === "#" && mysqlFamily)) {
      const end = text.indexOf("\n", i);
      if (end < 0) return { id: "sql-comment-line", description: "inside a SQL line comment" };
      i = end + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return { id: "sql-comment-block", description: "inside a SQL block comment" };
      i = end + 2;
    } else if (ch === "'" || ch === '"' || ch === "`" || (ch === "[" && dialect === "transactsql")) {
      const close = ch === "[" ? "]" : ch;
      const end = closingQuote(text, i + 1, close, mysqlFamily && ch !== "`" && ch !== "[");
      if (end < 0) {
        if (ch === "'" || (ch === '"' && mysqlFamily)) {
          return last === "LIKE"
            ? { id: "sql-like", quote: ch, description: "inside a quoted LIKE pattern" }
            : { id: "sql-string", quote: ch, description: `inside a ${ch === "'" ? "single" : "double"}-quoted SQL string` };
        }
        return { id: "sql-quoted-identifier", quote: close, description: "inside a quoted SQL name" };
      }
      push(ch === "'" || (ch === '"' && mysqlFamily) ? "<string>" : "<name>");
      i = end + 1;
    } else if (ch === "$" && dialect === "postgresql" && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i, i + 66))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 66))![0];
      const end = text.indexOf(tag, i + tag.length);
      if (end < 0) return { id: "sql-string", quote: tag, description: "inside a dollar-quoted SQL string" };
      push("<string>");
      i = end + tag.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      push(text.slice(i, j).toUpperCase());
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(text[j]!)) j++;
      push("<number>");
      i = j;
    } else {
      push(ch);
      i++;
    }
  }
  if (last === "" || last === ";") return { id: "sql-statement", description: "as a whole SQL statement" };
  if (last === ".") return { id: "sql-identifier", description: "as a qualified column name" };
  if (clause === "ORDER BY" || clause === "GROUP BY") return { id: "sql-order-by", description: `in ${clause}` };
  if (SQL_NUMBER_KEYWORDS.has(last)) return { id: "sql-numeric", description: `after ${last}` };
  if (SQL_TABLE_KEYWORDS.has(last)) return { id: "sql-identifier", description: "as a table name" };
  if (SQL_COLUMN_KEYWORDS.has(last) || (last === "," && (clause === "SELECT" || clause === "SET"))) {
    return { id: "sql-identifier", description: "as a column name" };
  }
  return { id: "sql-numeric", description: "as an unquoted SQL value" };
}

/** Index of the quote that closes a quoted run starting at `from`, or -1 when the text ends inside it. */
function closingQuote(text: string, from: number, close: string, backslash: boolean): number {
  // Each search resumes where the last one stopped, so a run of escapes stays linear.
  let q = text.indexOf(close, from);
  let b = backslash ? text.indexOf("\\", from) : -1;
  for (;;) {
    if (b >= 0 && (q < 0 || b < q)) {
      const j = b + 2;
      b = text.indexOf("\\", j);
      if (q >= 0 && q < j) q = text.indexOf(close, j);
      continue;
    }
    if (q < 0) return -1;
    // A doubled quote is an escaped quote, unless the text ends right after it.
    if (text[q + 1] === close && close !== "]" && q + 2 < text.length) {
      const j = q + 2;
      q = text.indexOf(close, j);
      if (b >= 0 && b < j) b = text.indexOf("\\", j);
      continue;
    }
    return q;
  }
}

// Shell --------------------------------------------------------------------------------------

function shellContext(prefix: string): HoleContext {
  switch (shellEndMode(prefix)) {
    case "single":
      return { id: "shell-single", quote: "'", description: "inside a single-quoted shell word" };
    case "double":
      return { id: "shell-double", quote: '"', description: "inside a double-quoted shell word" };
    case "comment":
      return { id: "shell-comment", description: "inside a shell comment" };
    case "unquoted":
      return { id: "shell-unquoted", description: "as an unquoted shell word" };
  }
}

// JavaScript ----------------------------------------------------------------------------------

const REGEX_AFTER_WORD = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

function jsContext(text: string): HoleContext {
  const n = text.length;
  // One entry per open template literal: the brace depth of the `${` code inside it.
  const templates: number[] = [];
  let inTemplate = false;
  let depth = 0;
  let last = "";
  let i = 0;
  while (i < n) {
    const ch = text[i]!;
    if (inTemplate) {
      if (ch === "\\") i += 2;
      else if (ch === "`") {
        inTemplate = false;
        last = "<string>";
        i++;
      } else if (ch === "$" && text[i + 1] === "{") {
        templates.push(depth);
        inTemplate = false;
        depth = 0;
        last = "{";
        i += 2;
      } else i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < n && text[j] !== ch && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      if (j >= n) return { id: "js-string", quote: ch, description: `inside a ${ch === "'" ? "single" : "double"}-quoted JavaScript string` };
      last = "<string>";
      i = j + 1;
    } else if (ch === "`") {
      inTemplate = true;
      i++;
    } else if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      if (end < 0) return { id: "js-comment-line", description: "inside a JavaScript line comment" };
      i = end + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return { id: "js-comment-block", description: "inside a JavaScript block comment" };
      i = end + 2;
    } else if (ch === "/" && (last === "" || REGEX_AFTER_WORD.has(last) || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(last))) {
      const end = regexEnd(text, i + 1);
      if (end < 0) return { id: "js-regex", quote: "/", description: "inside a JavaScript regular expression" };
      last = "<regex>";
      i = end + 1;
    } else if (ch === "{") {
      depth++;
      last = ch;
      i++;
    } else if (ch === "}") {
      if (depth === 0 && templates.length > 0) {
        depth = templates.pop()!;
        inTemplate = true;
      } else depth = Math.max(0, depth - 1);
      last = ch;
      i++;
    } else if (/[A-Za-z_$]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      last = text.slice(i, j);
      i = j;
    } else if (ch.charCodeAt(0) <= 32) {
      i++;
    } else {
      last = /[0-9]/.test(ch) ? "<number>" : ch;
      i++;
    }
  }
  return inTemplate
    ? { id: "js-template", quote: "`", description: "inside a JavaScript template literal" }
    : { id: "js-expression", description: "as JavaScript code" };
}

/** Index of the slash that ends a regular expression body starting at `from`, or -1. */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") j++;
    else if (ch === "\n") return -1;
    else if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) return j;
  }
  return -1;
}

// HTML ---------------------------------------------------------------------------------------

function htmlContext(prefix: string): HoleContext {
  const end = htmlEndState(prefix);
  switch (end.state) {
    case "text":
      return { id: "html-text", description: "in HTML text" };
    case "tag":
      return { id: "html-tag", description: "inside an HTML tag" };
    case "comment":
      return { id: "html-comment", description: "inside an HTML comment" };
    case "plaintext":
      return { id: "html-plaintext", tag: "plaintext", description: "inside a <plaintext> element" };
    case "rawtext":
      return { id: "html-rawtext", tag: end.tag, description: `inside a <${end.tag}> element` };
    case "attr-value": {
      const name = end.attribute;
      if (URL_ATTRIBUTES.has(name) && end.valueSoFar.trim() === "") {
        return { id: "html-url-attr", quote: end.quote, attribute: name, description: `at the start of the ${name} URL attribute` };
      }
      return end.quote === ""
        ? { id: "html-attr-unquoted", attribute: name, description: `in the unquoted ${name} attribute` }
        : { id: "html-attr", quote: end.quote, attribute: name, description: `in the quoted ${name} attribute` };
    }
  }
}

// URLs ---------------------------------------------------------------------------------------

function urlContext(prefix: string): HoleContext {
  // The URL parser strips leading C0 controls and spaces.

  const p = prefix.replace(/^[\u0000-\u0020]+/, "");
  if (p === "") return { id: "url-full", description: "as the whole URL" };
  if (p.includes("#")) return { id: "url-fragment", description: "in the URL fragment" };
  if (p.includes("?")) return { id: "url-query", description: "in the URL query" };
  if (/^(?:[A-Za-z][A-Za-z0-9+.-]*:)?[/\\]{2}[^/\\?#]*$/.test(p)) {
    // Right after "//", "@", or inside a name ("api." / "-"), the hole is (part of) the host name;
    // after a complete host (or "host:"), it is whatever the code appends to it.
    return /[/\\@.-]$/.test(p) ? { id: "url-host", description: "in the URL host" } : { id: "url-after-host", description: "right after the URL host" };
  }
  return { id: "url-path", description: "in the URL path" };
}
