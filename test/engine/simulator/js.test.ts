import { describe, expect, it } from "vitest";
import { version as acornVersion } from "acorn";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createJsProver, type JsStructure } from "../../../src/engine/simulator/js";

const hole = (label = "req.query.expr") => ({ hole: label });

describe("JavaScript prover through prove()", () => {
  it("proves a call added by breaking out of a string passed to eval", async () => {
    const proof = await prove("js", templateOf("var greeting = 'Hello, ", hole("req.query.name"), "';"));
    expect(proof).toMatchObject({
      kind: "js",
      verdict: "proven",
      payload: "'+require('child_process').execSync('id')+'",
      benign: { rendered: "var greeting = 'Hello, hello';", structure: "1 statement, no calls" },
      attack: {
        rendered: "var greeting = 'Hello, '+require('child_process').execSync('id')+'';",
        structure: "1 statement; calls: require('child_process').execSync, require",
      },
      parser: { name: "acorn", version: acornVersion },
    });
    expect(proof!.evidence).toBe(
      "The payload added 2 calls: require('child_process').execSync(…), require(…) (payload in req.query.name, inside a single-quoted JavaScript string).",
    );
  });

  it("proves code in an expression position (new Function body)", async () => {
    const proof = await prove("js", templateOf("return price * ", hole("req.body.factor"), ";"));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload).toBe("require('child_process').execSync('id')");
  });

  it("uses ${} inside a template literal", async () => {
    const proof = await prove("js", templateOf("log(`user ", hole(), " signed in`)"));
    expect(proof!.payload).toBe("${require('child_process').execSync('id')}");
    expect(proof!.verdict).toBe("proven");
  });

  it("matches the quote of a double-quoted string (a string passed to setTimeout)", async () => {
    const proof = await prove("js", templateOf('refresh("', hole(), '")'));
    expect(proof!.payload).toBe('"+require("child_process").execSync("id")+"');
    expect(proof!.attack.structure).toBe('1 statement; calls: refresh, require("child_process").execSync, require');
  });

  it("is not proven when the benign code does not parse", async () => {
    const proof = await prove("js", templateOf("function (", hole(), ") {"));
    expect(proof!.verdict).toBe("not-proven");
    expect(proof!.evidence).toMatch(/^benign rendering does not parse: /);
  });

  it("counts new statements and calls, not changed values", () => {
    const prover = createJsProver();
    const parse = (text: string) => (prover.analyze(text) as { structure: JsStructure }).structure;
    expect(prover.compare(parse("x = 'a'"), parse("x = 'a;b()'"))).toEqual([]);
    expect(prover.compare(parse("x = 1"), parse("x = 1; y = 2"))).toEqual([{ rank: 2, words: "the payload added 1 statement" }]);
    expect(prover.compare(parse("f(1)"), parse("f(1); new Worker(u)"))).toEqual([{ rank: 3, words: "the payload added a call: new Worker(…)" }]);
  });

  it("stays bounded on deeply nested input", () => {
    const prover = createJsProver();
    const result = prover.analyze("(".repeat(100_000) + "1" + ")".repeat(100_000));
    expect(result.ok).toBe(false);
  });
});
