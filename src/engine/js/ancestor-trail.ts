/**
 * The shared walk hands a listener only the node and its parent. Rules that judge a value by
 * where it goes (`const resetToken = Math.random()…`, `return md5(password)` inside
 * `hashPassword`) need a few more ancestors: this keeps a stack of the enclosing nodes of the
 * types a rule asks for, plus every function, pushed on enter and popped on exit.
 */
import type { JsNode } from "../parse/js";
import type { JsListener } from "../rule";
import { literalString, propertyName, targetName } from "./node-values";

/** ESTree function node types. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

export class AncestorTrail {
  /**
   * Enclosing nodes of the tracked types, outermost first; the node being visited is on top when
   * it is tracked. `parents[i]` is the parent of `nodes[i]`. Two arrays rather than an array of
   * frames: these are pushed for a large share of all nodes, and a frame object each adds up.
   */
  readonly nodes: JsNode[] = [];
  readonly parents: Array<JsNode | null> = [];
  /** Listeners the engine runs before the rules' (rules get a trail from `ctx.shared.trail(types)`). */
  readonly listeners: Record<string, JsListener> = {};

  constructor(types: readonly string[]) {
    const push: JsListener = (node, parent) => {
      this.nodes.push(node);
      this.parents.push(parent);
    };
    const pop: JsListener = () => {
      this.nodes.pop();
      this.parents.pop();
    };
    for (const type of new Set([...types, ...FUNCTION_TYPES])) {
      this.listeners[type] = push;
      this.listeners[`${type}:exit`] = pop;
    }
  }

  /** Index in `nodes` of the innermost enclosing function, or -1 at module level. */
  enclosingFunction(): number {
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      if (FUNCTION_TYPES.has(this.nodes[i]!.type)) return i;
    }
    return -1;
  }
}

/**
 * The name a function goes by: its own id, or the variable, property, class member or
 * assignment target it is the value of. Null for anonymous callbacks.
 *
 * @example
 *   // const hashPassword = async (pw) => ...      → "hashPassword"
 *   // class Auth { generateOtp() {...} }          → "generateOtp"
 *   // exports.signRequest = function () {...}     → "signRequest"
 */
export function functionName(fn: JsNode, parent: JsNode | null): string | null {
  if (fn.id?.type === "Identifier") return fn.id.name;
  if (!parent) return null;
  switch (parent.type) {
    case "VariableDeclarator":
      return parent.init === fn ? targetName(parent.id) : null;
    case "AssignmentExpression":
      return parent.right === fn ? targetName(parent.left) : null;
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      return parent.value === fn ? propertyName(parent) : null;
    default:
      return null;
  }
}

/**
 * Names that say what a place a value flows through is: a declared or assigned name, a property
 * key, a function's name, or for a call the last two of its callee's names (from `calleeNames`:
 * the member chain, or the chain resolved through imports) and its short string arguments
 * (`res.setHeader("ETag", …)` → setHeader, ETag).
 */
export function placeNames(node: JsNode, parent: JsNode | null, calleeNames: (callee: JsNode) => readonly string[]): string[] {
  switch (node.type) {
    case "VariableDeclarator":
      return nameList(targetName(node.id));
    case "AssignmentExpression":
      return nameList(targetName(node.left));
    case "Property":
    case "PropertyDefinition":
      return nameList(propertyName(node));
    case "CallExpression":
    case "NewExpression": {
      const out = calleeNames(node.callee).slice(-2);
      for (const a of node.arguments) {
        const s = literalString(a);
        if (s !== null && s.length <= 40) out.push(s);
      }
      return out;
    }
    default:
      return FUNCTION_TYPES.has(node.type) ? nameList(functionName(node, parent)) : [];
  }
}

function nameList(name: string | null): string[] {
  return name === null ? [] : [name];
}
