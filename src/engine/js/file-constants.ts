/**
 * What a file's `const`s hold when rules read option values: numbers (`const SALT_ROUNDS = 8`,
 * `const N = 2 ** 14`) and option objects (`const COOKIE = { secure: false }`), so an option
 * moved into a constant is still read. Names bound twice in a file are unknown (scopes are not
 * modelled); expressions are evaluated a bounded number of levels deep.
 */
import type { JsNode } from "../parse/js";
import type { JsListener } from "../rule";
import { propertyName, unwrap } from "./node-values";

export class FileConstants {
  private readonly inits = new Map<string, JsNode | null>();
  /** Listeners the engine runs before the rules' (rules get the file's instance as `ctx.shared.constants`). */
  readonly listeners: Record<string, JsListener> = {
    VariableDeclarator: (node, parent) => {
      if (parent?.kind !== "const" || node.id.type !== "Identifier" || !node.init) return;
      const name = node.id.name;
      this.inits.set(name, this.inits.has(name) ? null : unwrap(node.init));
    },
  };

  /** A number: a literal, a `const`, or `*`, `**`, `<<`, `+`, `-`, `/`, `Math.pow` of those. */
  number(node: JsNode | undefined, depth = 0): number | null {
    if (!node || depth > 8) return null;
    const n = unwrap(node);
    switch (n.type) {
      case "Literal":
        return typeof n.value === "number" ? n.value : null;
      case "Identifier": {
        const init = this.inits.get(n.name);
        return init ? this.number(init, depth + 1) : null;
      }
      case "UnaryExpression":
        return n.operator === "-" ? negate(this.number(n.argument, depth + 1)) : null;
      case "BinaryExpression": {
        const a = this.number(n.left, depth + 1);
        const b = this.number(n.right, depth + 1);
        if (a === null || b === null) return null;
        switch (n.operator) {
          case "*":
            return a * b;
          case "**":
            return b <= 64 ? a ** b : null;
          case "<<":
            return a * 2 ** (b & 31);
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "/":
            return b === 0 ? null : a / b;
          default:
            return null;
        }
      }
      case "CallExpression": {
        const callee = unwrap(n.callee);
        if (
          callee.type === "MemberExpression" &&
          propertyName(callee) === "pow" &&
          unwrap(callee.object).type === "Identifier" &&
          unwrap(callee.object).name === "Math"
        ) {
          const a = this.number(n.arguments[0], depth + 1);
          const b = this.number(n.arguments[1], depth + 1);
          return a === null || b === null || b > 64 ? null : a ** b;
        }
        return null;
      }
      default:
        return null;
    }
  }

  /** The expression a `const` was initialised with, if bound once. */
  init(name: string): JsNode | null {
    return this.inits.get(name) ?? null;
  }

  /**
   * The properties of an object literal (or a `const` holding one), by static key; spreads of
   * such objects are merged in order. Null when a spread or the object itself is not known.
   */
  object(node: JsNode | undefined, depth = 0): Map<string, JsNode> | null {
    if (!node || depth > 4) return null;
    let n = unwrap(node);
    if (n.type === "Identifier") n = this.inits.get(n.name) ?? n;
    if (n.type !== "ObjectExpression") return null;
    const out = new Map<string, JsNode>();
    for (const p of n.properties) {
      if (p.type === "SpreadElement") {
        const inner = this.object(p.argument, depth + 1);
        if (!inner) return null;
        for (const [k, v] of inner) out.set(k, v);
        continue;
      }
      const key = propertyName(p);
      if (key !== null) out.set(key, p.value);
    }
    return out;
  }
}

function negate(v: number | null): number | null {
  return v === null ? null : -v;
}
