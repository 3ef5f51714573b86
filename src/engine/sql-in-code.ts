/**
 * Finds SQL written inside JS/TS code: string literals, template literals and `+` chains whose
 * constant text starts like a SQL statement (after any leading `--` or `/* … *\/` comments).
 * Interpolated parts become a placeholder, so SQL audit rules see the statement's shape even
 * where values are dynamic. Each candidate carries the pieces of its text that stand verbatim
 * in the file, so a rule's finding points at the exact characters even inside a template
 * literal with escapes and interpolations.
 */
import type { JsNode } from "./parse/js";
import { SQL_HOLE } from "./parse/sql-statement";

/** Sticky: tested from where the code starts, without slicing the text. */
const SQL_START =
  /(?:select\s|insert\s+into|update\s+\S+\s+set\s|delete\s+from|create\s+(?:temporary\s+|temp\s+|or\s+replace\s+|or\s+alter\s+)?(?:table|view|procedure|function|index|unique\s+index|trigger|user|role)\b|alter\s+(?:table|role|user)\b|drop\s+(?:table|database|view)|grant\s|revoke\s|with\s+\w+\s+as\s*\(|replace\s+into|merge\s+into|truncate\s)/iy;

/** A run of the candidate's text that stands verbatim in the file (length 0: an anchor only). */
export interface SqlTextSegment {
  /** Offset in the candidate's text. */
  at: number;
  /** Offset in the file of text[at]. */
  fileAt: number;
  length: number;
}

/** A SQL string found in code: its text (holes as SQL_HOLE), its range in the file, and how to map back. */
export interface SqlCandidate {
  text: string;
  start: number;
  end: number;
  /** Verbatim runs and anchors, sorted by `at`; offsets between them map to the nearest one before. */
  segments: SqlTextSegment[];
}

/** Cheap pre-check used on every string literal during the walk. */
export function looksLikeSql(text: string): boolean {
  if (text.length < 10) return false;
  SQL_START.lastIndex = codeStart(text);
  return SQL_START.test(text);
}

/** Offset of the first character that is not blank and not inside a leading SQL comment. */
function codeStart(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\t" || text[i] === "\r")) i++;
    if (text.startsWith("--", i)) {
      const e = text.indexOf("\n", i);
      if (e === -1) return text.length;
      i = e + 1;
    } else if (text.startsWith("/*", i)) {
      const e = text.indexOf("*/", i + 2);
      if (e === -1) return text.length;
      i = e + 2;
    } else return i;
  }
}

/**
 * Raw-text length and cooked length of the JS escape sequence starting at raw[i] ("\").
 * Line continuations cook to nothing; `\u{1F600}` cooks to two UTF-16 units.
 */
function escapeSize(raw: string, i: number): [number, number] {
  const c = raw[i + 1];
  if (c === "\r") return [raw[i + 2] === "\n" ? 3 : 2, 0];
  if (c === "\n" || c === "\u2028" || c === "\u2029") return [2, 0];
  if (c === "x") return [4, 1];
  if (c === "u") {
    if (raw[i + 2] === "{") {
      const close = raw.indexOf("}", i + 3);
      if (close === -1) return [2, 1];
      const cp = parseInt(raw.slice(i + 3, close), 16);
      return [close + 1 - i, cp > 0xffff ? 2 : 1];
    }
    return [6, 1];
  }
  if (c !== undefined && c >= "0" && c <= "7") {
    let j = i + 2;
    while (j < i + 4 && raw[j] !== undefined && raw[j]! >= "0" && raw[j]! <= "7") j++;
    return [j - i, 1];
  }
  return [2, 1];
}

/**
 * Segments for one literal piece whose raw source text starts at `rawAt` in the file and whose
 * cooked value starts at `textAt` in the candidate's text. Falls back to one anchor at the
 * piece's start when the raw text does not account for the cooked value exactly.
 */
function pieceSegments(raw: string, rawAt: number, cookedLength: number, textAt: number, out: SqlTextSegment[]): void {
  const pieces: SqlTextSegment[] = [];
  let at = textAt;
  let runStart = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw.charCodeAt(i) !== 92) {
      i++;
      continue;
    }
    if (i > runStart) pieces.push({ at, fileAt: rawAt + runStart, length: i - runStart });
    at += i - runStart;
    const [rawLength, cooked] = escapeSize(raw, i);
    i += rawLength;
    at += cooked;
    runStart = i;
  }
  if (i > runStart) pieces.push({ at, fileAt: rawAt + runStart, length: i - runStart });
  at += Math.max(0, i - runStart);
  if (at - textAt !== cookedLength) out.push({ at: textAt, fileAt: rawAt, length: 0 });
  else out.push(...pieces);
}

/** Appends the text of a string or template literal to `acc`, or returns false for other nodes. */
function appendLiteral(node: JsNode, acc: { text: string; segments: SqlTextSegment[] }): boolean {
  if (node.type === "Literal" && typeof node.value === "string") {
    const raw = String(node.raw);
    pieceSegments(raw.slice(1, -1), node.start + 1, node.value.length, acc.text.length, acc.segments);
    acc.text += node.value;
    return true;
  }
  if (node.type === "TemplateLiteral") {
    node.quasis.forEach((q: JsNode, i: number) => {
      const cooked: string = q.value.cooked ?? q.value.raw;
      const raw: string = q.value.raw;
      if (raw.length === q.end - q.start) pieceSegments(raw, q.start, cooked.length, acc.text.length, acc.segments);
      else acc.segments.push({ at: acc.text.length, fileAt: q.start, length: 0 });
      acc.text += cooked;
      const expression = node.expressions[i] as JsNode | undefined;
      if (expression) {
        acc.segments.push({ at: acc.text.length, fileAt: expression.start, length: 0 });
        acc.text += SQL_HOLE;
      }
    });
    return true;
  }
  return false;
}

function flattenConcat(node: JsNode, parts: JsNode[]): void {
  if (node.type === "BinaryExpression" && node.operator === "+") {
    flattenConcat(node.left, parts);
    flattenConcat(node.right, parts);
  } else parts.push(node);
}

/**
 * The text appendLiteral would add, without mapping it back to the file: every string literal in
 * the file is tested, and few are SQL, so the test must not allocate for a plain string.
 */
function literalText(node: JsNode): string {
  if (node.type === "Literal") return node.value as string;
  let text = "";
  for (let i = 0; i < node.quasis.length; i++) {
    text += node.quasis[i].value.cooked ?? node.quasis[i].value.raw;
    if (i < node.expressions.length) text += SQL_HOLE;
  }
  return text;
}

function isLiteralText(node: JsNode): boolean {
  return (node.type === "Literal" && typeof node.value === "string") || node.type === "TemplateLiteral";
}

/**
 * The SQL candidate rooted at `node`, or null. For `+` chains, call only on the outermost
 * BinaryExpression; `consumed` receives the literal nodes already covered so they are not
 * reported twice.
 */
export function sqlCandidate(node: JsNode, consumed: Set<JsNode>): SqlCandidate | null {
  if (node.type === "BinaryExpression") {
    if (node.operator !== "+") return null;
    let head = node;
    while (head.type === "BinaryExpression" && head.operator === "+") head = head.left;
    if (!isLiteralText(head) || !looksLikeSql(literalText(head))) return null;
    const parts: JsNode[] = [];
    flattenConcat(node, parts);
    const acc = { text: "", segments: [] as SqlTextSegment[] };
    for (const part of parts) {
      if (appendLiteral(part, acc)) consumed.add(part);
      else {
        acc.segments.push({ at: acc.text.length, fileAt: part.start, length: 0 });
        acc.text += SQL_HOLE;
      }
    }
    return { text: acc.text, start: node.start, end: node.end, segments: acc.segments };
  }
  if (consumed.has(node) || !isLiteralText(node) || !looksLikeSql(literalText(node))) return null;
  const acc = { text: "", segments: [] as SqlTextSegment[] };
  appendLiteral(node, acc);
  return { text: acc.text, start: node.start, end: node.end, segments: acc.segments };
}

/**
 * File offset of a character offset in a candidate's text: exact inside verbatim runs, else the
 * end of the nearest run (or anchor) before it, else the candidate's start.
 */
export function candidateFileOffset(candidate: Pick<SqlCandidate, "start" | "segments">, index: number): number {
  const segments = candidate.segments;
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.at <= index) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return candidate.start;
  const s = segments[found]!;
  return s.fileAt + Math.min(index - s.at, s.length);
}
