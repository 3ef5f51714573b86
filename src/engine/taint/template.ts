/**
 * Turns what reached a sink into the attack simulator's template (simulator/template.ts):
 * constant text with a hole for each piece of attacker data the sink's class cares about.
 * Pieces already made safe for that class and untainted pieces whose text the code does not
 * fix (a table name from configuration) become neutral placeholder text, so the rendering still
 * parses. Query documents are written out as JavaScript object literals, the simulator's NoSQL
 * convention: a hole is a whole value the request can make an object (a parsed body, a `qs`
 * query), since only an object can carry an operator. Text the program concatenates into a
 * value stays a string whatever it holds (no hole: no payload leaves a string the program
 * built), except in a code operator (`$where`, `$function` bodies): the server runs that text
 * as JavaScript, so its template is the JavaScript alone (nosqlTemplate), proven as code.
 *
 * Bounded: at most MAX_HOLES holes and about MAX_TEXT characters of constant text.
 */
import type { SinkTemplate, TemplatePart } from "../simulator/template";
import { NOSQL, PATH, SQL, SSRF, REDIRECT } from "./kinds";
import { CODE_OPERATORS, codeTexts } from "./sinks";
import { F_ARRAY, F_CONTAINER, F_LITERAL_OBJ, F_NUMERIC, Hole, partsOf, Unknown, type Alphabet, type Value } from "./value";

export const MAX_HOLES = 8;
export const MAX_TEXT = 4096;
/** Longest single piece of constant text kept whole; longer ones keep their ends. */
const MAX_PIECE = 1024;

const SQL_WORDS = new Set([
  "table",
  "order",
  "group",
  "select",
  "from",
  "where",
  "limit",
  "user",
  "key",
  "index",
  "column",
  "values",
  "value",
  "by",
  "to",
  "desc",
  "asc",
  "sort",
  "direction",
  "type",
  "name",
  "date",
  "time",
  "level",
  "role",
  "default",
  "offset",
  "as",
  "and",
  "or",
  "not",
  "in",
  "is",
  "on",
]);

class Builder {
  readonly parts: TemplatePart[] = [];
  text = "";
  holes = 0;
  chars = 0;

  add(s: string): void {
    if (s === "") return;
    if (this.chars >= MAX_TEXT) return;
    const piece = s.length > MAX_PIECE ? s.slice(0, MAX_PIECE >> 2) + " " + s.slice(-(MAX_PIECE >> 1)) : s;
    this.chars += piece.length;
    this.text += piece;
    const last = this.parts[this.parts.length - 1];
    if (last?.kind === "text") last.text += piece;
    else this.parts.push({ kind: "text", text: piece });
  }

  hole(label: string, alphabet: Alphabet | null = null): void {
    this.holes++;
    this.parts.push(alphabet ? { kind: "hole", label, alphabet } : { kind: "hole", label });
  }
}

function placeholder(kind: number, prefix: string, name: string): string {
  const word = name.replace(/[^A-Za-z0-9_]/g, "").slice(0, 30) || "value";
  if (kind === SQL) {
    if (/\b(limit|offset)\s*$/i.test(prefix)) return "10";
    return SQL_WORDS.has(word.toLowerCase()) || /^\d/.test(word) ? word + "_1" : word;
  }
  if ((kind === SSRF || kind === REDIRECT) && prefix.trim() === "") return "https://service.example";
  if (kind === PATH && prefix === "") return "/srv/app";
  return word;
}

/**
 * The template of a text sink: the value's pieces with holes for attacker data unsafe for
 * `kind`, after `prefix` (text the sink itself adds, such as `SELECT … WHERE ` for a condition).
 */
export function textTemplate(v: Value, kind: number, prefix = ""): SinkTemplate {
  const b = new Builder();
  b.add(prefix);
  for (const p of partsOf(v)) {
    if (typeof p === "string") b.add(p);
    else if (p instanceof Hole) {
      if ((p.taint.safe & kind) === 0 && b.holes < MAX_HOLES) b.hole(p.taint.label, p.taint.alphabet);
      else b.add("x");
    } else if (p instanceof Unknown) b.add(placeholder(kind, b.text, p.name));
  }
  return { parts: b.parts };
}

/**
 * What a query document sink receives, for the simulator: the JavaScript a code operator runs
 * when request text reaches it (`{ $where: "this.a == '" + x + "'" }` → `this.a == '<hole>'`,
 * proven with `serverJs`), otherwise the document itself.
 */
export function nosqlTemplate(v: Value): { template: SinkTemplate; serverJs: boolean } {
  const code = serverCode(v, 0);
  return code ? { template: textTemplate(code, NOSQL), serverJs: true } : { template: documentTemplate(v), serverJs: false };
}

/** The first code operator's text (at any depth of the document) that holds request data unsafe for NoSQL. */
function serverCode(v: Value, depth: number): Value | null {
  if (depth > 6 || !v.props || !(v.flags & F_LITERAL_OBJ)) return null;
  for (const [k, pv] of v.props) {
    if (CODE_OPERATORS.has(k)) {
      const code = codeTexts(pv).find((t) => partsOf(t).some((p) => p instanceof Hole && (p.taint.safe & NOSQL) === 0));
      if (code) return code;
    } else {
      const inner = serverCode(pv, depth + 1);
      if (inner) return inner;
    }
  }
  return null;
}

/** The template of a query document, written as a JavaScript object literal. */
export function documentTemplate(v: Value): SinkTemplate {
  const b = new Builder();
  writeDocument(b, v, 0);
  return { parts: b.parts };
}

function writeDocument(b: Builder, v: Value, depth: number): void {
  if (depth > 6 || b.chars >= MAX_TEXT) {
    b.add("null");
    return;
  }
  if (v.props && v.flags & F_LITERAL_OBJ) {
    const array = (v.flags & F_ARRAY) !== 0;
    b.add(array ? "[" : "{ ");
    let i = 0;
    for (const [k, pv] of v.props) {
      if (i++ > 0) b.add(", ");
      if (!array) b.add(JSON.stringify(k) + ": ");
      writeDocument(b, pv, depth + 1);
    }
    if (i === 0 && v.elem?.taint && b.holes < MAX_HOLES) {
      if (!array) b.add("...");
      b.hole(v.elem.taint.label);
    }
    b.add(array ? "]" : " }");
    return;
  }
  if (v.taint && !v.parts && (v.taint.safe & NOSQL) === 0 && (v.taint.obj || v.flags & F_CONTAINER) && b.holes < MAX_HOLES) {
    b.hole(v.taint.label);
    return;
  }
  if (v.str !== null) {
    b.add(JSON.stringify(v.str));
    return;
  }
  if (v.flags & F_NUMERIC) {
    b.add("1");
    return;
  }
  if (v.taint || v.parts) {
    // A string the program built: request text inside it stays text (placeholder, no hole).
    b.add('"');
    for (const p of partsOf(v)) b.add(typeof p === "string" ? JSON.stringify(p).slice(1, -1) : "x");
    b.add('"');
    return;
  }
  b.add('"x"');
}
