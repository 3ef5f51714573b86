/**
 * How the code builds the text a sink receives, read from the parsed source: the constant
 * pieces and the expressions between them (`"… id = " + id`, `` `… ${id}` ``, or a variable
 * declared once from such an expression and used only at the sink). Fix generators rewrite
 * these pieces; the verifier reads the patched code's pieces the same way, so a patch is judged
 * by what the patched code builds, not by what its generator meant.
 */
import { literalString, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";

export type TextPiece =
  /**
   * Constant text: a literal, or a constant the code names (`TABLE`), kept as written in a patch.
   * `source` is the string literal or template element that writes it, and `owner` a template
   * element's template: a patch may cut inside those.
   */
  | { kind: "text"; text: string; named?: JsNode; source?: JsNode; owner?: JsNode }
  /** Anything else: data the code computes. */
  | { kind: "expr"; node: JsNode };

export interface SinkText {
  pieces: TextPiece[];
  /** The expression that builds the text: the sink's argument, or the initialiser of the variable it passes. */
  node: JsNode;
  /** Written as a template literal (a patch keeps the style). */
  template: boolean;
  /** The quote of the first string literal, for a patch written as strings. */
  quote: '"' | "'";
}

const MAX_DEPTH = 2_000;
/** Pieces of text a sink's text may be built from for a fix to rewrite it. */
const MAX_PIECES = 400;

class TooLong extends Error {}

/** The node of one of `types` (any type for null) that spans exactly [start, end) or ends at `end` and starts at or before `start`, innermost, with its ancestors (outermost first). */
export function findNode(program: JsNode, start: number, end: number, types: ReadonlySet<string> | null): { node: JsNode; ancestors: JsNode[] } | null {
  let found: { node: JsNode; ancestors: JsNode[] } | null = null;
  const path: JsNode[] = [];
  const visit = (node: JsNode, depth: number): void => {
    if (depth > MAX_DEPTH || node.start > start || node.end < end) return;
    if ((types === null || types.has(node.type)) && node.end === end) found = { node, ancestors: [...path] };
    path.push(node);
    for (const child of childNodes(node)) visit(child, depth + 1);
    path.pop();
  };
  visit(program, 0);
  return found;
}

/** The child nodes of a node, in source order. */
export function childNodes(node: JsNode): JsNode[] {
  const out: JsNode[] = [];
  for (const key in node) {
    if (key === "loc" || key === "range") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === "string") out.push(v);
    } else if (value && typeof value === "object" && typeof value.type === "string") out.push(value);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The text pieces of an expression that builds a string; null when it is not built by `+` or a template from text. */
export function textPieces(expr: JsNode, ancestors: readonly JsNode[]): TextPiece[] | null {
  const pieces: TextPiece[] = [];
  let depth = 0;
  const add = (node: JsNode): void => {
    const n = unwrap(node);
    if (n.type === "BinaryExpression" && n.operator === "+") {
      // A chain of thousands of `+` nests as deep: past MAX_PIECES it is not text a fix rewrites.
      if (++depth > MAX_PIECES) throw new TooLong();
      add(n.left);
      add(n.right);
      depth--;
    } else if (n.type === "TemplateLiteral") {
      n.quasis.forEach((q: JsNode, i: number) => {
        pieces.push({ kind: "text", text: q.value.cooked ?? "\uFFFD", source: q, owner: n });
        if (i < n.expressions.length) pieces.push(piece(n.expressions[i]));
      });
    } else pieces.push(piece(n));
  };
  const piece = (node: JsNode): TextPiece => {
    const n = unwrap(node);
    if (n.type === "Literal" && typeof n.value === "string") return { kind: "text", text: n.value, source: n };
    if (n.type === "Literal" && typeof n.value === "number") return { kind: "text", text: String(n.value) };
    const constant = n.type === "Identifier" ? constantOf(n.name, ancestors) : null;
    return constant !== null ? { kind: "text", text: constant, named: n } : { kind: "expr", node: n };
  };
  try {
    add(expr);
  } catch (error) {
    if (error instanceof TooLong) return null;
    throw error;
  }
  if (pieces.length > MAX_PIECES) return null;
  // `a + b + "…"` adds numbers first when a and b are numbers: text must come within the first two.
  if (!pieces.slice(0, 2).some((p) => p.kind === "text")) return null;
  if (pieces.some((p) => p.kind === "text" && p.text.includes("\uFFFD"))) return null;
  return pieces;
}

/**
 * The text a sink's argument builds, following a variable to its one declaration when the sink
 * is its only use; a reason when the text is built some other way.
 */
export function sinkText(arg: JsNode, ancestors: readonly JsNode[], source: string): SinkText | { reason: string } {
  let node = unwrap(arg);
  if (node.type === "Identifier") {
    const init = singleUseInit(node, ancestors);
    if (!init) return { reason: `the query text is the variable \`${node.name}\`, built or used in more than one place` };
    node = unwrap(init);
  }
  const pieces = textPieces(node, ancestors);
  if (!pieces) return { reason: "the query text is not built from string pieces the fix can rewrite" };
  const firstString = findStringLiteral(node);
  const quote = firstString && source[firstString.start] === "'" ? "'" : '"';
  return { pieces, node, template: node.type === "TemplateLiteral", quote };
}

function findStringLiteral(node: JsNode): JsNode | null {
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return n;
  if (n.type === "BinaryExpression") return findStringLiteral(n.left) ?? findStringLiteral(n.right);
  return null;
}

/**
 * Where a character of a piece's text is in the source, when the piece is written without escapes
 * (its text is its source character for character); null otherwise.
 */
export function sourceOffset(piece: TextPiece, at: number, source: string): number | null {
  if (piece.kind !== "text" || !piece.source) return null;
  const node = piece.source;
  if (node.type === "TemplateElement") return node.value.raw === piece.text ? node.start + at : null;
  return source.slice(node.start + 1, node.end - 1) === piece.text ? node.start + 1 + at : null;
}

/** Statements of the blocks around a node, innermost first (each with the ancestor index of the block). */
function* enclosingStatements(ancestors: readonly JsNode[]): Generator<JsNode> {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    const body = a.type === "Program" || a.type === "BlockStatement" || a.type === "StaticBlock" ? a.body : null;
    if (!body) continue;
    for (const s of body) yield s.type === "ExportNamedDeclaration" && s.declaration ? s.declaration : s;
  }
}

/** The value of a `const NAME = "text"` (or number) in an enclosing block; null when there is none. */
function constantOf(name: string, ancestors: readonly JsNode[]): string | null {
  for (const s of enclosingStatements(ancestors)) {
    if (s.type !== "VariableDeclaration" || s.kind !== "const") continue;
    for (const d of s.declarations) {
      if (d.id.type !== "Identifier" || d.id.name !== name || !d.init) continue;
      const init = unwrap(d.init);
      if (init.type === "Literal" && typeof init.value === "number") return String(init.value);
      return literalString(init);
    }
  }
  return null;
}

/** The initialiser of a `const` declared in an enclosing block of the sink (a fix there changes every use alike). */
export function constInit(id: JsNode, ancestors: readonly JsNode[]): JsNode | null {
  for (const s of enclosingStatements(ancestors)) {
    if (s.type !== "VariableDeclaration" || s.kind !== "const") continue;
    const d = s.declarations.find((d: JsNode) => d.id.type === "Identifier" && d.id.name === id.name);
    if (d) return d.init && d.start < id.start ? d.init : null;
  }
  return null;
}

/** The initialiser of a variable declared in an enclosing block of the sink and used nowhere else in its function. */
export function singleUseInit(id: JsNode, ancestors: readonly JsNode[]): JsNode | null {
  let declarator: JsNode | null = null;
  for (const s of enclosingStatements(ancestors)) {
    if (s.type !== "VariableDeclaration") continue;
    declarator = s.declarations.find((d: JsNode) => d.id.type === "Identifier" && d.id.name === id.name && d.init) ?? null;
    if (declarator) break;
  }
  if (!declarator || declarator.start > id.start) return null;
  let scope: JsNode | undefined;
  for (let i = ancestors.length - 1; i >= 0 && !scope; i--)
    if (FUNCTION_TYPES.has(ancestors[i]!.type) || ancestors[i]!.type === "Program") scope = ancestors[i];
  if (!scope) return null;
  let uses = 0;
  const count = (node: JsNode, parent: JsNode | null, depth: number): void => {
    if (depth > MAX_DEPTH || uses > 1) return;
    if (node.type === "Identifier" && node.name === id.name && node !== declarator.id && !isPropertyName(node, parent)) uses++;
    for (const child of childNodes(node)) count(child, node, depth + 1);
  };
  count(scope, null, 0);
  return uses === 1 ? declarator.init : null;
}

/** `a.NAME` and `{ NAME: … }` name a property, not the variable. */
function isPropertyName(node: JsNode, parent: JsNode | null): boolean {
  if (!parent) return false;
  if (parent.type === "MemberExpression") return parent.property === node && !parent.computed;
  if (parent.type === "Property" || parent.type === "PropertyDefinition" || parent.type === "MethodDefinition")
    return parent.key === node && !parent.computed && !parent.shorthand;
  return false;
}
