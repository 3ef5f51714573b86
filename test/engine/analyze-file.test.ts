/**
 * The engine's per-file pipeline around rules: attack proofs attached from a report's sink
 * template (proven raises confidence, not-proven lowers it), fingerprints and snippets built
 * from masked text only, and long lines clipped without leaking what the clip cuts through.
 */
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/engine/analyze-file";
import { DEFAULT_LIMITS } from "../../src/engine/limits";
import { createRule, type Report } from "../../src/engine/rule";
import { createSourceFile } from "../../src/engine/source";
import { scan } from "../../src/engine/index";
import { templateOf } from "../../src/engine/simulator/template";

const options = { dialect: "mysql" as const, dialectFallback: false, limits: DEFAULT_LIMITS };

function sinkRule(reports: (text: string) => Report[]) {
  return createRule({
    id: "test-sink",
    meta: {
      title: "Test sink",
      description: "Reports fixed sinks for the pipeline test.",
      severity: "high",
      confidence: "medium",
      category: "injection",
      cwe: ["CWE-89"],
      owasp: ["A03:2021"],
      pci: ["6.2.4"],
      remediation: "Use parameterised queries.",
      references: ["https://owasp.org/Top10/A03_2021-Injection/"],
      languages: ["javascript"],
    },
    create(ctx) {
      return { text: () => reports(ctx.file.text).forEach((r) => ctx.report(r)) };
    },
  });
}

describe("attack proofs", () => {
  it("attach a proven SQL proof and raise confidence to high", async () => {
    const text = `db.query("SELECT * FROM users WHERE id = '" + req.query.id + "'");\n`;
    const rule = sinkRule(() => [
      {
        start: 0,
        end: 10,
        message: "req.query.id flows into db.query()",
        simulate: { kind: "sql", template: templateOf("SELECT * FROM users WHERE id = '", { hole: "req.query.id" }, "'") },
      },
    ]);
    const { findings } = await analyzeFile(createSourceFile("app.js", text), [{ rule, severity: "high" }], options);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.proof).toMatchObject({ kind: "sql", verdict: "proven", parser: { name: "node-sql-parser" } });
    expect(findings[0]!.confidence).toBe("high");
    expect(findings[0]!.tags).toContain("proven");
  });

  it("keep a sink no payload can change at low confidence, tagged not-proven", async () => {
    const rule = sinkRule(() => [
      {
        start: 0,
        end: 5,
        message: "id flows into fetch()",
        simulate: { kind: "url", template: templateOf("https://api.stripe.com/v1/charges/", { hole: "id" }) },
      },
    ]);
    const { findings } = await analyzeFile(createSourceFile("app.js", "fetch(x)\n"), [{ rule, severity: "high" }], options);
    expect(findings[0]!.proof!.verdict).toBe("not-proven");
    expect(findings[0]!.confidence).toBe("low");
    expect(findings[0]!.tags).toContain("not-proven");
  });
});

describe("fingerprints and snippets", () => {
  // Two Luhn-valid Visa numbers with the same first six and last four digits.
  const A = "4539148803436467";
  const B = "4539143193426467";

  it("fingerprint only masked text, so the hidden digits cannot be recovered from it", async () => {
    const file = (pan: string) => ({ files: [{ path: "seed.js", content: `const card = "${pan}";\n` }] });
    const [a, b] = await Promise.all([scan(file(A)), scan(file(B))]);
    const fa = a.findings.find((f) => f.ruleId === "card-number-in-source")!;
    const fb = b.findings.find((f) => f.ruleId === "card-number-in-source")!;
    expect(fa.snippet).toBe(fb.snippet);
    expect(fa.fingerprint).toBe(fb.fingerprint);
  });

  it("keep a finding's fingerprint when its file moves or code above it changes, so a baseline still knows it", async () => {
    const route = 'app.get("/o", (req, res) => db.query("SELECT * FROM o WHERE id = " + req.query.id));\n';
    const before = await scan({ files: [{ path: "src/routes/orders.js", content: route }] });
    const after = await scan({ files: [{ path: "server/api/orders-v2.js", content: `// moved in PAY-91\n\n${route}` }] });
    const fp = (r: typeof before) => r.findings.filter((f) => f.ruleId === "sql-injection").map((f) => f.fingerprint);
    expect(fp(before)).toHaveLength(1);
    expect(fp(after)).toEqual(fp(before));
  });

  it("tell the same line in two files apart within one scan", async () => {
    const route = 'app.get("/o", (req, res) => db.query("SELECT * FROM o WHERE id = " + req.query.id));\n';
    const result = await scan({
      files: [
        { path: "a/orders.js", content: route },
        { path: "b/orders.js", content: route },
      ],
    });
    const ids = result.findings.filter((f) => f.ruleId === "sql-injection").map((f) => f.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it("clip long lines around the finding and mask a card number the clip cuts through", async () => {
    const line = "x".repeat(5000) + ` "${A}" ` + "y".repeat(5000);
    const result = await scan({ files: [{ path: "bundle.js", content: `var s = ${JSON.stringify(line)};\n` }] });
    const finding = result.findings.find((f) => f.ruleId === "card-number-in-source")!;
    expect(finding.snippet.length).toBeLessThanOrEqual(242);
    expect(finding.snippet).toContain("453914");
    expect(JSON.stringify(result)).not.toContain(A);
    expect(JSON.stringify(result)).not.toContain(A.slice(6, 12));
  });
});
