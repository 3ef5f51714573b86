import { describe, expect, it } from "vitest";
import { prove, templateOf } from "../../../src/engine/simulator/index";
import { createXpathProver, type XpathStructure } from "../../../src/engine/simulator/xpath";

const hole = (label = "req.body.user") => ({ hole: label });
const prover = createXpathProver();
const parse = (text: string) => {
  const a = prover.analyze(text);
  if (!a.ok) throw new Error(a.message);
  return a.structure as XpathStructure;
};

describe("XPath prover through prove()", () => {
  it("proves a tautology that survives the 'and' after the hole (a login bypass)", async () => {
    const proof = await prove("xpath", templateOf("//user[@name='", hole(), "' and @password='", hole("req.body.password"), "']"));
    expect(proof).toMatchObject({ kind: "xpath", verdict: "proven", payload: "' or 1=1 or ''='" });
    expect(proof!.attack.rendered).toBe("//user[@name='' or 1=1 or ''='' and @password='alice']");
    expect(proof!.evidence).toMatch(/^The condition \(\(@name = ''\) or \(1 = 1\)\) is now always true/);
    expect(proof!.evidence).toContain("inside a single-quoted XPath string");
  });

  it("proves the first payload where nothing follows the hole in the predicate", async () => {
    const proof = await prove("xpath", templateOf('//partner[@id="', hole(), '"]/contact'));
    expect(proof!.payload).toBe('" or "1"="1');
    expect(proof!.verdict).toBe("proven");
  });

  it("proves an unquoted hole with an always-true alternative", async () => {
    const proof = await prove("xpath", templateOf("//order[@id=", hole("req.query.id"), "]"));
    expect(proof!.payload).toBe("1 or 1=1");
    expect(proof!.verdict).toBe("proven");
  });

  it("reads the other quote inside a literal as plain text and closes the right one", async () => {
    const proof = await prove("xpath", templateOf("//user[@name=\"it's ", hole(), '"]'));
    expect(proof!.verdict).toBe("proven");
    expect(proof!.payload.startsWith('"')).toBe(true);
  });
});

describe("XPath 1.0 structure", () => {
  it("reads operator precedence: 'and' binds tighter than 'or'", () => {
    const s = parse("//a[@x='1' or '1'='1' and @y='2']");
    expect(s.alternatives).toEqual(["((@x = '1') or (('1' = '1') and (@y = '2')))"]);
    expect(s.alwaysTrue).toEqual([]);
  });

  it("knows which comparisons of constants are always true (§3.4)", () => {
    expect(parse("//a[@x='' or 1=1]").alwaysTrue).toHaveLength(1);
    expect(parse("//a[@x='' or '1'='1']").alwaysTrue).toHaveLength(1);
    expect(parse("//a[@x='' or true()]").alwaysTrue).toHaveLength(1);
    expect(parse("//a[@x='' or '1'='2']").alwaysTrue).toHaveLength(0);
    expect(parse("//a[@x='' or 1='1.0']").alwaysTrue).toHaveLength(1);
  });

  it("counts union branches and keeps names that are operator words as names", () => {
    expect(parse("//a | //b/c | /root").branches).toHaveLength(3);
    expect(parse("/div/mod[and='x']").branches).toEqual(["/div/mod[(and = 'x')]"]);
    expect(parse("//*[local-name()='A']/@*").shape).toBe("//*[(local-name() = '…')]/@*");
  });

  it("rejects what is not one XPath 1.0 expression", () => {
    expect(prover.analyze("//a[@x='1']]")).toMatchObject({ ok: false });
    expect(prover.analyze("//a[@x='1")).toEqual({ ok: false, message: "unterminated string literal at 7" });
    expect(prover.analyze("//a[@x!]")).toMatchObject({ ok: false });
  });

  it("refuses deep nesting without recursing through it", () => {
    expect(prover.analyze("(".repeat(150) + "1" + ")".repeat(150))).toEqual({ ok: false, message: "nesting too deep to parse" });
    expect(prover.analyze("1" + " or 1".repeat(3_000))).toEqual({ ok: false, message: "expression too long to parse" });
  });
});
