/**
 * The interpreter on the whole range of JavaScript and TypeScript syntax: it must never fail,
 * and taint must survive the less common constructs.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { parseJs } from "../../../src/engine/parse/js";
import { createSourceFile } from "../../../src/engine/source";
import { analyzeTaint } from "../../../src/engine/taint/index";
import { where } from "./taint-harness";

const SNIPPETS: Array<[string, string]> = [
  ["src/a.js", `label: for (const [k, v] of Object.entries(req.body)) { if (k) continue label; else break label; }`],
  ["src/a.js", `async function* gen(req) { for await (const x of req.body.items) yield x; } for (x.y of z) {}`],
  [
    "src/a.js",
    `class A extends B { #p = 1; static s = A.make(); static { init(); } get v() { return this.#p; } set v(x) { super.v = x; } #m() { return new.target; } }`,
  ],
  ["src/a.js", `const o = { [key]: 1, get a() { return 1; }, set a(v) {}, async *g() {}, ...spread }; const { [k]: v = 2, ...rest } = o;`],
  ["src/a.js", `a?.b?.(c)?.[d]; f\`x\${y}\`; o.t\`z\`; (0, eval)(x); new (getClass())(); delete a.b; void 0; typeof x; x ??= y; x ||= z; x &&= w; x **= 2;`],
  [
    "src/a.mjs",
    `import * as ns from "fs"; import def, { a as b } from "m"; export * from "n"; export { b as c }; export default class {} console.log(import.meta.url); await import(x);`,
  ],
  [
    "src/a.ts",
    `enum E { A = "a" } declare module "m" { export function f(): void; } namespace N { export const x = 1; } abstract class C { abstract m(): void; } export = C; import fs = require("fs");`,
  ],
  [
    "src/a.ts",
    `function f<T extends object>(this: Window, a: T, ...rest: unknown[]): asserts a is T {} const x = <string>y; const z = y as unknown as number; let w!: string; type T = { a: 1 }; interface I {}`,
  ],
  ["src/a.tsx", `export const C = ({ a, ...p }: P) => <Foo.Bar {...p} x={a} y="1"><>{a}{/* c */}</></Foo.Bar>;`],
  ["src/a.js", `with (obj) { x = 1; } switch (x) { case 1: default: } try { throw e; } catch { } finally { } do { } while (0); if (a) ; else ;`],
  ["src/a.js", `var f = function g() { return g(); }; (function () { arguments[0]; })(); (() => {})(); function h(a = b, { c } = {}, [d] = []) {} h();`],
  [
    "src/a.js",
    `Object.assign(Object.freeze({}), null); [].concat(1).flat().at(-1); "a".concat().padEnd(2).split().join(); Promise.all([]).then().catch().finally();`,
  ],
];

describe("syntax coverage", () => {
  it.each(SNIPPETS)("%s: %s", (path, code) => {
    const file = createSourceFile(path, code);
    const parsed = parseJs(file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const analysis = analyzeTaint(parsed.program, file, { ...DEFAULT_LIMITS });
    expect(analysis.failure).toBeNull();
    expect(analysis.notices).toEqual([]);
  });

  it.each([
    ["optional chaining", `db.query("SELECT " + req?.query?.a);`],
    ["for…of over entries", `for (const [k, v] of Object.entries(req.body)) db.query("SELECT " + v);`],
    ["for…in keys", `for (const k in req.body) db.query("SELECT " + k);`],
    ["a named function expression", `const run = function go(v) { return db.query("SELECT " + v); }; run(req.query.a);`],
    ["an immediately invoked function", `(function (v) { db.query("SELECT " + v); })(req.query.a);`],
    ["a TypeScript non-null assertion and cast", `db.query("SELECT " + (req.query.a as string)!);`],
    ["a getter on an object literal", `const o = { get v() { return req.query.a; } }; db.query("SELECT " + o.v);`],
  ])("taint survives %s", (_name, body) => {
    expect(where(`app.get("/x", (req, res) => {\n  ${body}\n});`, "src/a.ts").length).toBe(1);
  });
});
