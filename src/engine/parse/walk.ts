/**
 * One traversal of an ESTree AST that runs every rule's listeners (STYLE.md §7), bounded in
 * nodes and in depth (so deeply nested input cannot overflow the stack). Standard ESTree types
 * are visited through a switch that reads each type's child keys by name: every property read
 * then sees one shape of node, which V8 keeps fast, where a table of key names read as
 * `node[key]` makes every read a slow generic lookup. TypeScript's extra keys on ordinary nodes
 * are read only for TypeScript files, and other node types (TS, JSX) are walked by their
 * object-valued keys, so they need no table of their own.
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

/** Keys TypeScript adds to ordinary ESTree nodes after their own children (decorators come first). */
const TS_KEYS = ["typeAnnotation", "typeParameters", "typeArguments", "returnType", "superTypeArguments", "superTypeParameters", "implements"];

const DECORATORS = ["decorators"];

type Child = JsNode | null | undefined;

/**
 * Visits every node depth-first in source order, calling `enter[type]` before the children and
 * `exit[type]` after them. Recursive (one frame pair per nesting level, fewer than the parser
 * used to build the tree) and cut off at `maxDepth`. `typescript` also walks the keys the
 * TypeScript plugin adds to standard nodes (decorators, type annotations).
 */
export function walk(
  root: JsNode,
  enter: ReadonlyMap<string, WalkHandler>,
  exit: ReadonlyMap<string, WalkHandler>,
  bounds: WalkBounds,
  options: { typescript?: boolean } = {},
): WalkOutcome {
  let visited = 0;
  let stopped: WalkOutcome["stopped"];
  const hasExit = exit.size > 0;
  const typescript = options.typescript === true;

  const visit = (node: JsNode, parent: JsNode | null, depth: number): boolean => {
    if (++visited > bounds.maxNodes) {
      stopped = "ast-too-large";
      return false;
    }
    const handler = enter.get(node.type);
    if (handler !== undefined) handler(node, parent);
    if (depth >= bounds.maxDepth) {
      stopped ??= "ast-too-deep";
    } else if (!children(node, depth + 1)) {
      return false;
    }
    if (hasExit) exit.get(node.type)?.(node, parent);
    return true;
  };

  const one = (child: Child, parent: JsNode, depth: number): boolean => child == null || visit(child, parent, depth);

  const many = (list: Child[], parent: JsNode, depth: number): boolean => {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (item != null && !visit(item, parent, depth)) return false;
    }
    return true;
  };

  /** Any object-valued key holding nodes: for TS and JSX node types, and TypeScript's extra keys. */
  const generic = (node: JsNode, keys: readonly string[], depth: number): boolean => {
    for (let k = 0; k < keys.length; k++) {
      const value = node[keys[k]!];
      if (value === null || typeof value !== "object") continue;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item !== null && typeof item === "object" && typeof item.type === "string" && !visit(item, node, depth)) return false;
        }
      } else if (typeof value.type === "string" && !visit(value, node, depth)) {
        return false;
      }
    }
    return true;
  };

  /** Decorators first (they precede the node in source), then the node's own children, then TypeScript's keys. */
  const children = (n: JsNode, d: number): boolean => {
    if (typescript && n.decorators !== undefined && !generic(n, DECORATORS, d)) return false;
    const standard = standardChildren(n, d);
    if (standard === null) return generic(n, ownKeys(n, typescript), d);
    return standard && (!typescript || generic(n, TS_KEYS, d));
  };

  /** Visits the children of the standard ESTree node types acorn produces, in source order; null for other types. */
  const standardChildren = (n: JsNode, d: number): boolean | null => {
    switch (n.type) {
      case "Identifier":
      case "Literal":
      case "ThisExpression":
      case "Super":
      case "TemplateElement":
      case "PrivateIdentifier":
      case "EmptyStatement":
      case "DebuggerStatement":
        return true;
      case "MemberExpression":
        return one(n.object, n, d) && one(n.property, n, d);
      case "CallExpression":
      case "NewExpression":
        return one(n.callee, n, d) && many(n.arguments, n, d);
      case "ExpressionStatement":
      case "ChainExpression":
      case "ParenthesizedExpression":
        return one(n.expression, n, d);
      case "BinaryExpression":
      case "LogicalExpression":
      case "AssignmentExpression":
      case "AssignmentPattern":
        return one(n.left, n, d) && one(n.right, n, d);
      case "Property":
      case "PropertyDefinition":
      case "MethodDefinition":
        return one(n.key, n, d) && one(n.value, n, d);
      case "ObjectExpression":
      case "ObjectPattern":
        return many(n.properties, n, d);
      case "ArrayExpression":
      case "ArrayPattern":
        return many(n.elements, n, d);
      case "BlockStatement":
      case "Program":
      case "ClassBody":
      case "StaticBlock":
        return many(n.body, n, d);
      case "VariableDeclaration":
        return many(n.declarations, n, d);
      case "VariableDeclarator":
        return one(n.id, n, d) && one(n.init, n, d);
      case "FunctionDeclaration":
      case "FunctionExpression":
        return one(n.id, n, d) && many(n.params, n, d) && one(n.body, n, d);
      case "ArrowFunctionExpression":
        return many(n.params, n, d) && one(n.body, n, d);
      case "ReturnStatement":
      case "UnaryExpression":
      case "UpdateExpression":
      case "AwaitExpression":
      case "SpreadElement":
      case "RestElement":
      case "ThrowStatement":
      case "YieldExpression":
        return one(n.argument, n, d);
      case "IfStatement":
      case "ConditionalExpression":
        return one(n.test, n, d) && one(n.consequent, n, d) && one(n.alternate, n, d);
      case "TemplateLiteral":
        return many(n.quasis, n, d) && many(n.expressions, n, d);
      case "TaggedTemplateExpression":
        return one(n.tag, n, d) && one(n.quasi, n, d);
      case "SequenceExpression":
        return many(n.expressions, n, d);
      case "ForStatement":
        return one(n.init, n, d) && one(n.test, n, d) && one(n.update, n, d) && one(n.body, n, d);
      case "ForInStatement":
      case "ForOfStatement":
        return one(n.left, n, d) && one(n.right, n, d) && one(n.body, n, d);
      case "WhileStatement":
        return one(n.test, n, d) && one(n.body, n, d);
      case "DoWhileStatement":
        return one(n.body, n, d) && one(n.test, n, d);
      case "TryStatement":
        return one(n.block, n, d) && one(n.handler, n, d) && one(n.finalizer, n, d);
      case "CatchClause":
        return one(n.param, n, d) && one(n.body, n, d);
      case "SwitchStatement":
        return one(n.discriminant, n, d) && many(n.cases, n, d);
      case "SwitchCase":
        return one(n.test, n, d) && many(n.consequent, n, d);
      case "LabeledStatement":
        return one(n.label, n, d) && one(n.body, n, d);
      case "BreakStatement":
      case "ContinueStatement":
        return one(n.label, n, d);
      case "WithStatement":
        return one(n.object, n, d) && one(n.body, n, d);
      case "ClassDeclaration":
      case "ClassExpression":
        return one(n.id, n, d) && one(n.superClass, n, d) && one(n.body, n, d);
      case "MetaProperty":
        return one(n.meta, n, d) && one(n.property, n, d);
      case "ImportDeclaration":
        return many(n.specifiers, n, d) && one(n.source, n, d) && many(n.attributes ?? [], n, d);
      case "ImportSpecifier":
        return one(n.imported, n, d) && one(n.local, n, d);
      case "ImportDefaultSpecifier":
      case "ImportNamespaceSpecifier":
        return one(n.local, n, d);
      case "ImportExpression":
        return one(n.source, n, d) && one(n.options, n, d);
      case "ImportAttribute":
        return one(n.key, n, d) && one(n.value, n, d);
      case "ExportNamedDeclaration":
        return one(n.declaration, n, d) && many(n.specifiers, n, d) && one(n.source, n, d) && many(n.attributes ?? [], n, d);
      case "ExportDefaultDeclaration":
        return one(n.declaration, n, d);
      case "ExportAllDeclaration":
        return one(n.exported, n, d) && one(n.source, n, d) && many(n.attributes ?? [], n, d);
      case "ExportSpecifier":
        return one(n.local, n, d) && one(n.exported, n, d);
      default:
        return null;
    }
  };

  visit(root, null, 0);
  return stopped ? { nodes: visited, stopped } : { nodes: visited };
}

/** Keys of a node of another type (TS, JSX) that may hold children; decorators when not already visited. */
function ownKeys(node: JsNode, decoratorsVisited: boolean): string[] {
  const keys: string[] = [];
  for (const key in node) if (!SKIP.has(key) && !(decoratorsVisited && key === "decorators")) keys.push(key);
  return keys;
}
