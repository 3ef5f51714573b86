/**
 * Merges several sets of `js` listeners into one, so a rule can add listeners of its own to a set
 * it builds on (the taint listeners) without the keys overwriting each other. Listeners for the
 * same key run in the order the sets are given, on enter and on exit.
 */
import type { JsListener } from "../rule";

/** `composeListeners(dataflow.js, { CallExpression(node) {...} })` */
export function composeListeners(...sets: ReadonlyArray<Record<string, JsListener>>): Record<string, JsListener> {
  const lists = new Map<string, JsListener[]>();
  for (const set of sets) {
    for (const [key, fn] of Object.entries(set)) {
      const list = lists.get(key);
      if (list) list.push(fn);
      else lists.set(key, [fn]);
    }
  }
  const out: Record<string, JsListener> = {};
  for (const [key, fns] of lists) {
    out[key] =
      fns.length === 1
        ? fns[0]!
        : (node, parent) => {
            for (const fn of fns) fn(node, parent);
          };
  }
  return out;
}
