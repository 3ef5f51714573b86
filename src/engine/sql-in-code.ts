/**
 * Finds SQL written inside JS/TS code: string literals, template literals and `+` chains whose
 * constant text starts like a SQL statement. Interpolated parts become a placeholder, so SQL
 * audit rules see the statement's shape even where values are dynamic.
 */
import type { JsNode } from "./parse/js";
import { SQL_HOLE } from "./parse/sql-statement";

const SQL_START = /^\s*(?:select\s|insert\s+into|update\s+\S+\s+set\s|delete\s+from|create\s+(?:temporary\s+|temp\s+|or\s+replace\s+)?(?:table|view|procedure|function|index|unique\s+index|trigger)\b|alter\s+table|drop\s+(?:table|database|view)|grant\s|revoke\s|with\s+\w+\s+as\s*\(|replace\s+into|merge\s+into|truncate\s)/i;

export interface SqlCandidate {
  text: string;
  start: number;
  end: number;
  /** Offset in the file of text[0] when the text is a verbatim slice of the file, else null. */
  verbatimAt: number | null;
}

/** Cheap pre-check used on every string literal during the walk. */
export function looksLikeSql(text: string): boolean {
  return text.length >= 10 && SQL_START.test(text);
}

function quasiText(node: JsNode): string | null {
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral") {
    let out = "";
    node.quasis.forEach((q: JsNode, i: number) => {
      out += q.value.cooked ?? q.value.raw;
      if (i < node.expressions.length) out += SQL_HOLE;
    });
    return out;
  }
  return null;
}

function flattenConcat(node: JsNode, parts: JsNode[]): void {
  if (node.type === "BinaryExpression" && node.operator === "+") {
    flattenConcat(node.left, parts);
    flattenConcat(node.right, parts);
  } else parts.push(node);
}

/**
 * The SQL candidate rooted at `node`, or null. For `+` chains, call only on the outermost
 * BinaryExpression; `consumed` receives the literal nodes already covered so they are not
 * reported twice.
 */
export function sqlCandidate(node: JsNode, consumed: Set<JsNode>): SqlCandidate | null {
  if (node.type === "BinaryExpression") {
    if (node.operator !== "+") return null;
    const parts: JsNode[] = [];
    flattenConcat(node, parts);
    const first = quasiText(parts[0]!);
    if (first === null || !looksLikeSql(first)) return null;
    let text = "";
    for (const part of parts) {
      const t = quasiText(part);
      if (t !== null) consumed.add(part);
      text += t ?? SQL_HOLE;
    }
    return { text, start: node.start, end: node.end, verbatimAt: null };
  }
  if (consumed.has(node)) return null;
  const text = quasiText(node);
  if (text === null || !looksLikeSql(text)) return null;
  // Without escapes, a string literal's text stands in the file one character after its quote.
  const simple = node.type === "Literal" && !String(node.raw).includes("\\");
  return { text, start: node.start, end: node.end, verbatimAt: simple ? node.start + 1 : null };
}
