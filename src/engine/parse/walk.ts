/**
 * One traversal of an ESTree AST that runs every rule's listeners (STYLE.md §7), bounded in
 * nodes and in depth (so deeply nested input cannot overflow the stack). It walks any key
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
 * `exit[type]` after them. Recursive (one frame per nesting level, fewer than the parser used to
 * build the tree) and cut off at `maxDepth`.
 */
export function walk(
  root: JsNode,
  enter: ReadonlyMap<string, WalkHandler>,
  exit: ReadonlyMap<string, WalkHandler>,
  bounds: WalkBounds,
): WalkOutcome {
  let visited = 0;
  let stopped: WalkOutcome["stopped"];
  const hasExit = exit.size > 0;

  const visit = (node: JsNode, parent: JsNode | null, depth: number): boolean => {
    if (++visited > bounds.maxNodes) {
      stopped = "ast-too-large";
      return false;
    }
    const handler = enter.get(node.type);
    if (handler !== undefined) handler(node, parent);
    if (depth >= bounds.maxDepth) {
      stopped ??= "ast-too-deep";
    } else {
      const keys = keysOf(node);
      for (let k = 0; k < keys.length; k++) {
        const value = node[keys[k]!];
        if (value === null || typeof value !== "object") continue;
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item = value[i];
            if (item !== null && typeof item === "object" && typeof item.type === "string" && !visit(item, node, depth + 1)) return false;
          }
        } else if (typeof value.type === "string" && !visit(value, node, depth + 1)) {
          return false;
        }
      }
    }
    if (hasExit) exit.get(node.type)?.(node, parent);
    return true;
  };

  visit(root, null, 0);
  return stopped ? { nodes: visited, stopped } : { nodes: visited };
}
