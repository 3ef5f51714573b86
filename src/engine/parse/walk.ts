/**
 * One traversal of an ESTree AST that runs every rule's listeners (STYLE.md §7). Iterative, so
 * deeply nested input cannot overflow the stack; bounded in nodes and depth. It walks any key
 * listed for standard ESTree types (plus the keys TypeScript adds to them), and any object-valued
 * key of other node types, so TypeScript and JSX nodes need no table of their own.
 */
import type { JsNode } from "./js";

export type WalkHandler = (node: JsNode, parent: JsNode | null) => void;

export interface WalkBounds {
  maxNodes: number;
  maxDepth: number;
}

export interface WalkOutcome {
  nodes: number;
  /** Set when a bound stopped the walk early. */
  stopped?: "ast-too-large" | "ast-too-deep";
}

const SKIP = new Set(["type", "start", "end", "loc", "range"]);

/** Keys TypeScript (and decorators) add to ordinary ESTree nodes; read on every node, cheap when absent. */
const TS_KEYS = ["decorators", "typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "superTypeParameters", "implements"];

/** Child keys of the standard ESTree node types acorn produces, in source order. */
const ESTREE_KEYS: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    ArrayExpression: ["elements"],
    ArrayPattern: ["elements"],
    ArrowFunctionExpression: ["params", "body"],
    AssignmentExpression: ["left", "right"],
    AssignmentPattern: ["left", "right"],
    AwaitExpression: ["argument"],
    BinaryExpression: ["left", "right"],
    BlockStatement: ["body"],
    BreakStatement: ["label"],
    CallExpression: ["callee", "arguments"],
    CatchClause: ["param", "body"],
    ChainExpression: ["expression"],
    ClassBody: ["body"],
    ClassDeclaration: ["id", "superClass", "body"],
    ClassExpression: ["id", "superClass", "body"],
    ConditionalExpression: ["test", "consequent", "alternate"],
    ContinueStatement: ["label"],
    DebuggerStatement: [],
    DoWhileStatement: ["body", "test"],
    EmptyStatement: [],
    ExportAllDeclaration: ["exported", "source", "attributes"],
    ExportDefaultDeclaration: ["declaration"],
    ExportNamedDeclaration: ["declaration", "specifiers", "source", "attributes"],
    ExportSpecifier: ["local", "exported"],
    ExpressionStatement: ["expression"],
    ForInStatement: ["left", "right", "body"],
    ForOfStatement: ["left", "right", "body"],
    ForStatement: ["init", "test", "update", "body"],
    FunctionDeclaration: ["id", "params", "body"],
    FunctionExpression: ["id", "params", "body"],
    Identifier: [],
    IfStatement: ["test", "consequent", "alternate"],
    ImportAttribute: ["key", "value"],
    ImportDeclaration: ["specifiers", "source", "attributes"],
    ImportDefaultSpecifier: ["local"],
    ImportExpression: ["source", "options"],
    ImportNamespaceSpecifier: ["local"],
    ImportSpecifier: ["imported", "local"],
    LabeledStatement: ["label", "body"],
    Literal: [],
    LogicalExpression: ["left", "right"],
    MemberExpression: ["object", "property"],
    MetaProperty: ["meta", "property"],
    MethodDefinition: ["key", "value"],
    NewExpression: ["callee", "arguments"],
    ObjectExpression: ["properties"],
    ObjectPattern: ["properties"],
    ParenthesizedExpression: ["expression"],
    PrivateIdentifier: [],
    Program: ["body"],
    Property: ["key", "value"],
    PropertyDefinition: ["key", "value"],
    RestElement: ["argument"],
    ReturnStatement: ["argument"],
    SequenceExpression: ["expressions"],
    SpreadElement: ["argument"],
    StaticBlock: ["body"],
    Super: [],
    SwitchCase: ["test", "consequent"],
    SwitchStatement: ["discriminant", "cases"],
    TaggedTemplateExpression: ["tag", "quasi"],
    TemplateElement: [],
    TemplateLiteral: ["quasis", "expressions"],
    ThisExpression: [],
    ThrowStatement: ["argument"],
    TryStatement: ["block", "handler", "finalizer"],
    UnaryExpression: ["argument"],
    UpdateExpression: ["argument"],
    VariableDeclaration: ["declarations"],
    VariableDeclarator: ["id", "init"],
    WhileStatement: ["test", "body"],
    WithStatement: ["object", "body"],
    YieldExpression: ["argument"],
  }).map(([type, keys]) => [type, ["decorators", ...keys, ...TS_KEYS.slice(1)]]),
);

/** Keys that may hold children: the ESTree table, or every object-valued key for other (TS, JSX) node types. */
function keysOf(node: JsNode): string[] {
  const known = ESTREE_KEYS[node.type];
  if (known !== undefined) return known;
  const keys: string[] = [];
  for (const key in node) {
    if (SKIP.has(key)) continue;
    const v = node[key];
    if (v !== null && typeof v === "object") keys.push(key);
  }
  return keys;
}

/**
 * Visits every node depth-first in source order, calling `enter[type]` before the children and
 * `exit[type]` after them.
 */
export function walk(
  root: JsNode,
  enter: ReadonlyMap<string, WalkHandler>,
  exit: ReadonlyMap<string, WalkHandler>,
  bounds: WalkBounds,
): WalkOutcome {
  // Parallel stacks instead of frame objects: no allocation per node. A negative depth marks
  // an exit visit.
  const nodes: JsNode[] = [root];
  const parents: Array<JsNode | null> = [null];
  const depths: number[] = [0];
  const hasExit = exit.size > 0;
  let visited = 0;
  let stopped: WalkOutcome["stopped"];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop()!;
    const d = depths.pop()!;
    if (d < 0) {
      exit.get(node.type)!(node, parent);
      continue;
    }
    if (++visited > bounds.maxNodes) {
      stopped = "ast-too-large";
      break;
    }
    const handler = enter.get(node.type);
    if (handler !== undefined) handler(node, parent);
    if (hasExit && exit.has(node.type)) {
      nodes.push(node);
      parents.push(parent);
      depths.push(-1);
    }
    if (d >= bounds.maxDepth) {
      stopped ??= "ast-too-deep";
      continue;
    }
    const keys = keysOf(node);
    const mark = nodes.length;
    for (let k = 0; k < keys.length; k++) {
      const value = node[keys[k]!];
      if (value === null || typeof value !== "object") continue;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item !== null && typeof item === "object" && typeof item.type === "string") {
            nodes.push(item);
            parents.push(node);
            depths.push(d + 1);
          }
        }
      } else if (typeof value.type === "string") {
        nodes.push(value);
        parents.push(node);
        depths.push(d + 1);
      }
    }
    // Children were pushed in source order; reverse them so they pop in source order.
    for (let i = mark, j = nodes.length - 1; i < j; i++, j--) {
      const n = nodes[i]!;
      nodes[i] = nodes[j]!;
      nodes[j] = n;
      const p = parents[i]!;
      parents[i] = parents[j]!;
      parents[j] = p;
      const dd = depths[i]!;
      depths[i] = depths[j]!;
      depths[j] = dd;
    }
  }
  return stopped ? { nodes: visited, stopped } : { nodes: visited };
}
