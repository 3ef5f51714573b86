/**
 * The taint analysis on hostile input: it must finish, keep what it found, and say when it
 * stopped early — never overflow the stack or hang. No timing assertions (vitest's timeout
 * bounds each test).
 */
import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";
import { DEFAULT_LIMITS } from "../../../src/engine/limits";
import { MAX_NESTED_ANALYSES } from "../../../src/engine/taint/interpreter";
import { taintHits } from "./taint-harness";

const TAINT_RULES = ["sql-injection", "xss", "command-injection"];

async function scanOne(code: string, path = "src/app.js") {
  const result = await scan({ files: [{ path, content: code }] }, {});
  expect(result.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
  return result;
}

describe("bounds", () => {
  it("a member chain 10,000 deep stops at the depth limit with a notice", () => {
    const code = `app.get("/x", (req, res) => {\n  const v = req${".a".repeat(10_000)};\n  db.query("SELECT " + v);\n});`;
    const { notices } = taintHits(code);
    expect(notices.join(" ")).toMatch(/nested deeper than \d+ levels/);
  });

  it("a 3,000-operand concatenation is folded without recursion and still found", () => {
    const code = `app.get("/x", (req, res) => db.query("SELECT 1" ${'+ "a" '.repeat(3_000)}+ req.query.x));`;
    const { hits, notices } = taintHits(code);
    expect(notices).toEqual([]);
    expect(hits.map((h) => h.rule)).toEqual(["sql-injection"]);
  });

  it("a 1 MB file of chained concatenations finishes with a notice", async () => {
    const code = `app.get("/x", (req, res) => db.query("SELECT 1" ${'+ "ab" '.repeat(141_500)}+ req.query.x));`;
    expect(code.length).toBeGreaterThan(990_000);
    const result = await scanOne(code);
    expect(result.notifications.length).toBeGreaterThan(0);
  });

  it("10,000 nested blocks and arrays finish with a notice", async () => {
    for (const code of [
      `function f(req) {${"{".repeat(10_000)} eval(req.query.x); ${"}".repeat(10_000)}}`,
      `x = ${"[".repeat(10_000)}location.hash${"]".repeat(10_000)};`,
    ]) {
      const result = await scanOne(code);
      expect(result.notifications.length).toBeGreaterThan(0);
    }
  });

  it("a chain of 3,000 functions calling each other stops nesting with a notice", () => {
    const fns = Array.from({ length: 3_000 }, (_, i) => `function f${i}(x) { return f${i + 1}(x + "."); }`).join("\n");
    const code = `${fns}\nfunction f3000(x) { return db.query("SELECT * FROM t WHERE a = '" + x + "'"); }\napp.get("/x", (req, res) => f0(req.query.x));`;
    const { notices } = taintHits(code);
    expect(notices.join(" ")).toContain(`${MAX_NESTED_ANALYSES} nested function analyses`);
  });

  it("mutually recursive functions terminate", () => {
    const fns = Array.from({ length: 500 }, (_, i) => `function g${i}(x) { return g${(i + 1) % 500}(x) + g${(i + 7) % 500}(x); }`).join("\n");
    const code = `${fns}\napp.get("/x", (req, res) => res.send("<p>" + g0(req.query.x)));`;
    expect(() => taintHits(code)).not.toThrow();
  });

  it("thousands of handlers are each analysed once", () => {
    const routes = Array.from(
      { length: 4_000 },
      (_, i) => `app.get("/r${i}", (req, res) => db.query("SELECT * FROM t${i} WHERE id = " + req.params.id));`,
    ).join("\n");
    const { hits, notices } = taintHits(routes);
    expect(notices).toEqual([]);
    expect(hits.length).toBe(4_000);
  });

  it("stops at the step budget with a notice and keeps earlier findings", () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `  v${i % 50}.call(a + b, c[d], e.f);`).join("\n");
    const code = `app.get("/x", (req, res) => {\n  db.query("SELECT " + req.query.a);\n${lines}\n});`;
    const { hits, notices } = taintHits(code, "src/app.js", { ...DEFAULT_LIMITS, maxAstNodes: 10 });
    expect(notices.join(" ")).toMatch(/stopped after \d+ steps/);
    expect(hits.map((h) => h.rule)).toEqual(["sql-injection"]);
  });

  it("gives its notices once per file, as detector-budget", async () => {
    const code = `app.get("/x", (req, res) => {\n  const v = req${".a".repeat(3_000)};\n  db.query("SELECT " + v);\n});`;
    const result = await scanOne(code);
    const budget = result.notifications.filter(
      (n) =>
        n.code === "detector-budget" &&
        n.ruleId &&
        [
          ...TAINT_RULES,
          "code-injection",
          "insecure-deserialization",
          "nosql-injection",
          "open-redirect",
          "path-traversal",
          "prototype-pollution",
          "regex-injection",
          "ssrf",
          "xxe",
        ].includes(n.ruleId),
    );
    expect(budget.length).toBe(1);
  });
});
