/**
 * Small, allocation-light readers of acorn ESTree nodes that the JS/TS rules share: the static
 * string a literal holds, the static name of a property, the names along a member chain, and the
 * names an expression mentions. They never evaluate code and never follow more than a bounded
 * number of nodes, so they are safe to call from the hot shared walk.
 */
import type { JsNode } from "../parse/js";

const WRAPPERS = new Set([
  "TSAsExpression",
  "TSSatisfiesExpression",
  "TSNonNullExpression",
  "TSTypeAssertion",
  "ParenthesizedExpression",
  "ChainExpression",
  "TSInstantiationExpression",
]);

/** Strips wrappers that do not change a value: `(x as T)!`, `<T>x`, `x satisfies T`, `a?.b()`, `f<T>` → the inner node. */
export function unwrap(node: JsNode): JsNode {
  let n = node;
  while (WRAPPERS.has(n.type) && n.expression) n = n.expression;
  return n;
}

/** The string a literal holds: `"md5"`, `'md5'`, or a template literal without substitutions. */
export function literalString(node: JsNode | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Literal") return typeof n.value === "string" ? n.value : null;
  if (n.type === "TemplateLiteral" && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * The static name of a member's property or of an object/class member's key:
 * `a.b`, `a["b"]`, `{ b: 1 }`, `{ "b": 1 }`, `b() {}`, `#b = 1` → "b"; null when computed from a
 * non-literal.
 */
export function propertyName(node: JsNode): string | null {
  const key: JsNode | undefined = node.type === "MemberExpression" ? node.property : node.key;
  if (!key) return null;
  if (!node.computed && (key.type === "Identifier" || key.type === "PrivateIdentifier")) return key.name;
  return literalString(key);
}

/**
 * `a.b.c` for an identifier or `this` followed by at most 32 static properties (dotted or string
 * keys); null otherwise. The key under which guards narrow a variable or member path.
 */
export function pathKey(node: JsNode): string | null {
  const names: string[] = [];
  let n = unwrap(node);
  while (n.type === "MemberExpression") {
    if (names.length >= 32) return null;
    if (!n.computed && n.property.type === "Identifier") names.push(n.property.name);
    else if (n.computed && n.property.type === "Literal" && typeof n.property.value === "string") names.push(n.property.value);
    else return null;
    n = unwrap(n.object);
  }
  const root = n.type === "Identifier" ? n.name : n.type === "ThisExpression" ? "this" : null;
  if (root === null) return null;
  names.push(root);
  return names.reverse().join(".");
}

/** The static keys an object pattern destructures: `{ request, params }` (or `{ a } = {}`) → ["request", "params"]. */
export function patternKeys(pattern: JsNode): string[] {
  const n = pattern.type === "AssignmentPattern" ? pattern.left : pattern;
  if (n.type !== "ObjectPattern") return [];
  return n.properties.flatMap((q: JsNode) => (q.type === "Property" && !q.computed && q.key.type === "Identifier" ? [q.key.name] : []));
}

/** A member chain split into its base and the static property names after it. */
export interface MemberChain {
  /** The innermost object: an Identifier, `this`, a call such as `require("x")`... */
  root: JsNode;
  /** Property names from the root outwards: `a.b.c` → ["b", "c"]. */
  names: string[];
}

/** `window.crypto.subtle.digest` → { root: window, names: ["crypto", "subtle", "digest"] }; null on a computed link. */
export function memberChain(node: JsNode): MemberChain | null {
  const names: string[] = [];
  let n = unwrap(node);
  while (n.type === "MemberExpression") {
    const name = propertyName(n);
    if (name === null) return null;
    names.push(name);
    n = unwrap(n.object);
  }
  return { root: n, names: names.reverse() };
}

/**
 * The name a value is stored under: `x` for `x`, `resetToken` for `user.resetToken`, the key of
 * a property; null for anything else.
 */
export function targetName(node: JsNode | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Identifier") return n.name;
  if (n.type === "MemberExpression") return propertyName(n);
  if (n.type === "AssignmentPattern") return targetName(n.left);
  return null;
}

/**
 * Identifiers and dotted member paths an expression mentions, for judging what data it holds:
 * `user.password + salt` → ["user.password", "salt"]. Function bodies are not entered and at
 * most `budget` nodes are looked at.
 */
export function mentionedNames(node: JsNode, budget = 64): string[] {
  const out: string[] = [];
  const stack: JsNode[] = [node];
  let seen = 0;
  while (stack.length > 0 && seen++ < budget) {
    const n = unwrap(stack.pop()!);
    switch (n.type) {
      case "Identifier":
        out.push(n.name);
        break;
      case "MemberExpression": {
        const chain = memberChain(n);
        if (chain && chain.root.type === "Identifier") out.push([chain.root.name, ...chain.names].join("."));
        else if (chain && chain.root.type === "ThisExpression") out.push(["this", ...chain.names].join("."));
        else {
          stack.push(n.object);
          if (n.computed) stack.push(n.property);
        }
        break;
      }
      case "CallExpression":
      case "NewExpression":
        pushReversed(stack, n.arguments);
        stack.push(n.callee);
        break;
      case "BinaryExpression":
      case "LogicalExpression":
        stack.push(n.right, n.left);
        break;
      case "TemplateLiteral":
        pushReversed(stack, n.expressions);
        break;
      case "ConditionalExpression":
        stack.push(n.alternate, n.consequent);
        break;
      case "AwaitExpression":
      case "UnaryExpression":
      case "SpreadElement":
        stack.push(n.argument);
        break;
      case "ArrayExpression":
        pushReversed(stack, n.elements);
        break;
      case "ObjectExpression":
        // Keys are listed as they are met; values are visited after.
        for (const p of n.properties) {
          const key = p.type === "Property" ? propertyName(p) : null;
          if (key !== null) out.push(key);
        }
        pushReversed(
          stack,
          n.properties.map((p: JsNode) => (p.type === "Property" ? p.value : p)),
        );
        break;
      default:
        break;
    }
  }
  return out;
}

function pushReversed(stack: JsNode[], nodes: ReadonlyArray<JsNode | null>): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n) stack.push(n);
  }
}
