/**
 * The name a call's receiver is known by in the code, for models that recognise receivers by
 * convention when nothing else is known about them: a database handle called `db` or `pool`, a
 * router called `app`, a socket called `ws`.
 */
import { propertyName, unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";

/** Calls that hand back the same client: `pool.promise()`, `await pool.getConnection()`. */
const SAME_CLIENT = /^(promise|getConnection|connect|acquire)$/;

/** `db` for `db`, `this.db`, `getDb()`, `(await pool.getConnection())`; null when the receiver has no name. */
export function receiverName(node: JsNode | null): string | null {
  if (!node) return null;
  let n = unwrap(node);
  for (let i = 0; i < 4; i++) {
    if (n.type === "AwaitExpression") n = unwrap(n.argument);
    else if (n.type === "CallExpression" && unwrap(n.callee).type === "MemberExpression" && SAME_CLIENT.test(propertyName(unwrap(n.callee)) ?? ""))
      n = unwrap(unwrap(n.callee).object);
    else break;
  }
  if (n.type === "Identifier") return n.name;
  if (n.type === "MemberExpression") return propertyName(n);
  if (n.type === "CallExpression") {
    const c = unwrap(n.callee);
    return c.type === "Identifier" ? c.name : c.type === "MemberExpression" ? propertyName(c) : null;
  }
  return null;
}

/** The name of a method call's receiver: `db` in `db.query(…)`. */
export function calleeReceiverName(callee: JsNode): string | null {
  return receiverName(unwrap(callee).object);
}
