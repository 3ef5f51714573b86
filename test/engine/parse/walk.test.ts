import { describe, expect, it } from "vitest";
import { parseJs, type JsNode } from "../../../src/engine/parse/js";
import { walk, type WalkHandler } from "../../../src/engine/parse/walk";
import { createSourceFile } from "../../../src/engine/source";

/** Every node below `root` with its parent, found by reading every object-valued key (the slow, sure way). */
function reference(root: JsNode): Map<JsNode, JsNode | null> {
  const parents = new Map<JsNode, JsNode | null>([[root, null]]);
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const value = node[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child !== null && typeof child === "object" && typeof child.type === "string") {
          parents.set(child, node);
          stack.push(child);
        }
      }
    }
  }
  return parents;
}

/** What the walk saw: each entered node with the parent it was given, and the order of enter and exit events. */
function walked(path: string, code: string) {
  const parsed = parseJs(createSourceFile(path, code));
  if (!parsed.ok) throw new Error(parsed.message);
  const expected = reference(parsed.program);
  const types = new Set([...expected.keys()].map((n) => n.type));
  const entered = new Map<JsNode, JsNode | null>();
  const events: string[] = [];
  const enter: WalkHandler = (node, parent) => {
    expect(entered.has(node)).toBe(false);
    entered.set(node, parent);
    events.push(`>${node.start}`);
  };
  const exit: WalkHandler = (node) => events.push(`<${node.start}`);
  const outcome = walk(
    parsed.program,
    new Map([...types].map((t) => [t, enter])),
    new Map([...types].map((t) => [t, exit])),
    { maxNodes: 100_000, maxDepth: 500 },
    { typescript: path.endsWith(".ts") || path.endsWith(".tsx") },
  );
  return { expected, entered, events, outcome };
}

const JS = `
import def, { a as b } from "mod" with { type: "json" };
import * as star from "star";
const C = class extends star.D {};
export * as ns from "other";
export { b as c };
export default class K extends Base {
  static #count = 0;
  static { K.#count++; }
  get value() { return super.value ?? this.#count; }
}
label: for (let i = 0, j; i < 10; i++) { if (i % 2) continue label; else break label; }
for (const [x, ...rest] of list) while (x) do { x--; } while (false);
for (const k in { a: 1, ["b" + 2]: [, 3, ...more] }) switch (k) { case "a": throw new Error(k); default: debugger; }
try { risky(); } catch ({ message }) { void message; } finally { ;}
const f = async function* g({ p = 1 }, q = () => {}) { yield await p; return typeof q; };
const t = tag\`a\${f}b\${t}c\`, re = /x/g, big = 10n, seq = (1, 2), cond = a ? b : c;
obj?.deep?.[key]?.(arg);
function h() { return new.target ?? import.meta.url ?? import("dyn", { with: {} }); }
`;

/** What only a script may hold. */
const SCRIPT = `with (scope) { x = y || z && !w; }`;

const TS = `
@Controller("pay")
export class PayController<T extends object> implements Handler {
  constructor(@Inject(TOKEN) private readonly svc: Service<T>) {}
  @Post() charge(@Body() body: ChargeDto): Promise<Result> { return this.svc.charge<Result>(body as Charge); }
}
enum Color { Red = 1, Green = Red << 1 }
type Pair = [a: string, b?: number];
interface Shape { area(): number; readonly sides: number[] }
namespace N { export const x: Pair = ["a"]; }
let v = <T,>(x: T): T => x!;
declare module "m" { export function f(x: unknown): asserts x is string; }
`;

describe("walk", () => {
  it.each([
    ["every standard ESTree node type", "src/all.js", JS],
    ["a sloppy-mode script", "src/legacy.js", SCRIPT],
    ["TypeScript: decorators, parameter properties, type annotations, generics, enums, namespaces", "src/pay.ts", TS],
    [
      "JSX elements, attributes and expressions",
      "src/view.jsx",
      `const v = <Form action={url} {...rest}><b>{items.map((i) => <li key={i}>{i}</li>)}</b></Form>;`,
    ],
  ])("visits each node of %s exactly once, with its parent", (_, path, code) => {
    const { expected, entered, outcome } = walked(path, code);
    expect(outcome.stopped).toBeUndefined();
    expect(outcome.nodes).toBe(expected.size);
    expect(entered.size).toBe(expected.size);
    for (const [node, parent] of expected) expect(entered.get(node)).toBe(parent);
  });

  it("enters parents before their children and exits after them, in source order", () => {
    const { events } = walked("src/a.js", `if (a) { b(c); } else d = [e, f];`);
    // Program and if at 0, a at 4, the block at 7, b(c); at 9, c at 11, d = [e, f]; at 22, [ at 26, e at 27, f at 30.
    expect(events).toEqual([
      ">0",
      ">0",
      ">4",
      "<4",
      ">7",
      ">9",
      ">9",
      ">9",
      "<9",
      ">11",
      "<11",
      "<9",
      "<9",
      "<7",
      ">22",
      ">22",
      ">22",
      "<22",
      ">26",
      ">27",
      "<27",
      ">30",
      "<30",
      "<26",
      "<22",
      "<22",
      "<0",
      "<0",
    ]);
  });

  it("reads TypeScript's extra keys only when asked to, after the node's own children", () => {
    const code = `function f(x: Card): Receipt { return x; }`;
    const parsed = parseJs(createSourceFile("src/a.ts", code));
    if (!parsed.ok) throw new Error(parsed.message);
    const seen = (typescript: boolean) => {
      const names: string[] = [];
      walk(parsed.program, new Map([["Identifier", (n: JsNode) => names.push(n.name)]]), new Map(), { maxNodes: 1000, maxDepth: 100 }, { typescript });
      return names;
    };
    expect(seen(true)).toEqual(["f", "x", "Card", "x", "Receipt"]);
    expect(seen(false)).toEqual(["f", "x", "x"]);
  });

  it("stops at the node and depth bounds and says which one it hit", () => {
    const parsed = parseJs(createSourceFile("src/a.js", `a(b(c(d(e))));`));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(walk(parsed.program, new Map(), new Map(), { maxNodes: 4, maxDepth: 100 })).toEqual({ nodes: 5, stopped: "ast-too-large" });
    expect(walk(parsed.program, new Map(), new Map(), { maxNodes: 100, maxDepth: 3 }).stopped).toBe("ast-too-deep");
  });
});
