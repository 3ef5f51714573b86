/**
 * Inline suppressions: a team accepts one finding where it stands with a comment naming the rule
 * and the reason, in each comment syntax of the files we read. The finding leaves the findings
 * (and the counts the CLI fails on) for the suppressed list, SARIF marks it `inSource`, and a
 * directive that names no rule, an unknown rule or no reason is told as a note.
 */
import { describe, expect, it } from "vitest";
import { scan } from "../../src/engine/index";
import { toJsonReport } from "../../src/engine/report/json";
import { toSarif } from "../../src/engine/report/sarif";
import { toText } from "../../src/engine/report/text";
import { sarifSchemaErrors } from "./report/sarif-schema";

const SQL_ROUTE = (directive: string, sameLine = "") =>
  [
    'import express from "express";',
    'import { pool } from "./db";',
    "const app = express();",
    'app.get("/orders", async (req, res) => {',
    directive,
    '  const rows = await pool.query("SELECT * FROM orders WHERE id = " + req.query.id);' + sameLine,
    "  res.json(rows);",
    "});",
  ].join("\n");

async function run(files: Array<{ path: string; content: string }>) {
  return scan({ files });
}

describe("directives that suppress", () => {
  it.each([
    [
      "next line, // comment",
      SQL_ROUTE("  // pci-auditor-ignore-next-line sql-injection -- id is checked by the gateway schema"),
      "id is checked by the gateway schema",
    ],
    [
      "next line, /* */ comment",
      SQL_ROUTE("  /* pci-auditor-ignore-next-line sql-injection -- legacy report, removed in PAY-88 */"),
      "legacy report, removed in PAY-88",
    ],
    ["same line", SQL_ROUTE("", " // pci-auditor-ignore-line sql-injection -- reviewed in SEC-412"), "reviewed in SEC-412"],
    ["one of several rules", SQL_ROUTE("  // pci-auditor-ignore-next-line xss, sql-injection -- internal tool"), "internal tool"],
  ])("%s", async (_name, content, reason) => {
    const result = await run([{ path: "routes/orders.js", content }]);
    expect(result.findings.filter((f) => f.ruleId === "sql-injection")).toEqual([]);
    expect(result.suppressed?.map((f) => [f.ruleId, f.location.startLine, f.suppression])).toEqual([
      ["sql-injection", 6, { kind: "inSource", justification: reason }],
    ]);
    expect(result.notifications.filter((n) => n.code === "invalid-suppression")).toEqual([]);
  });

  it("reads `--` comments in SQL and `#` comments in other text files", async () => {
    const result = await run([
      {
        path: "db/backfill.sql",
        content: "-- pci-auditor-ignore-next-line sql-write-without-where -- one-off backfill of the new column\nUPDATE payments SET settled = 0;\n",
      },
      { path: "deploy/app.env", content: "# pci-auditor-ignore-next-line hardcoded-secret -- local docker-compose only\nDB_PASSWORD=Tr0ub4dor&3xyzzy\n" },
    ]);
    expect(result.suppressed?.map((f) => [f.location.path, f.ruleId])).toEqual([
      ["db/backfill.sql", "sql-write-without-where"],
      ["deploy/app.env", "hardcoded-secret"],
    ]);
    expect(result.findings.map((f) => f.ruleId)).not.toContain("sql-write-without-where");
  });
});

describe("directives that do not suppress", () => {
  it("another rule's directive leaves the finding", async () => {
    const result = await run([{ path: "routes/orders.js", content: SQL_ROUTE("  // pci-auditor-ignore-next-line xss -- rendered as text") }]);
    expect(result.findings.map((f) => f.ruleId)).toContain("sql-injection");
    expect(result.suppressed).toBeUndefined();
  });

  it("a directive two lines up leaves the finding", async () => {
    const result = await run([{ path: "routes/orders.js", content: SQL_ROUTE("  // pci-auditor-ignore-next-line sql-injection -- checked\n") }]);
    expect(result.findings.map((f) => f.ruleId)).toContain("sql-injection");
  });

  it("the directive's words in a string are not a directive", async () => {
    const result = await run([{ path: "routes/orders.js", content: SQL_ROUTE('  const help = "pci-auditor-ignore-next-line sql-injection -- x";') }]);
    expect(result.findings.map((f) => f.ruleId)).toContain("sql-injection");
  });
});

describe("incomplete directives are told", () => {
  it.each([
    ["no rule: suppresses nothing", "  // pci-auditor-ignore-next-line -- trust me", true, /names no rule/],
    ["an unknown rule: suppresses nothing", "  // pci-auditor-ignore-next-line sqli -- trust me", true, /unknown rule \(sqli\)/],
    ["no reason: suppresses, and asks for one", "  // pci-auditor-ignore-next-line sql-injection", false, /gives no reason/],
  ])("%s", async (_name, directive, stillReported, message) => {
    const result = await run([{ path: "routes/orders.js", content: SQL_ROUTE(directive) }]);
    expect(result.findings.some((f) => f.ruleId === "sql-injection")).toBe(stillReported);
    const notes = result.notifications.filter((n) => n.code === "invalid-suppression");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: "note", path: "routes/orders.js", line: 5 });
    expect(notes[0]!.message).toMatch(message);
  });
});

describe("reports", () => {
  const content = SQL_ROUTE("  // pci-auditor-ignore-next-line sql-injection -- card 4916526018159086 was a test value");

  it("masks a reason that quotes a card number", async () => {
    const result = await run([{ path: "routes/orders.js", content }]);
    expect(result.suppressed![0]!.suppression!.justification).toBe("card 491652******9086 was a test value");
    expect(JSON.stringify(result)).not.toContain("4916526018159086");
  });

  it("SARIF keeps the result with an inSource suppression; JSON lists it apart; the counts leave it out", async () => {
    const result = await run([{ path: "routes/orders.js", content }]);
    const sarif = toSarif(result);
    const results = sarif.runs[0]!.results.filter((r) => r.ruleId === "sql-injection");
    expect(results.map((r) => r.suppressions)).toEqual([[{ kind: "inSource", justification: "card 491652******9086 was a test value" }]]);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const json = toJsonReport(result);
    expect(json.summary.suppressed).toBe(1);
    expect(json.summary.byRule["sql-injection"]).toBeUndefined();
    expect(json.suppressed.map((f) => f.ruleId)).toEqual(["sql-injection"]);
    expect(toText(result)).toContain("1 finding suppressed in source");
  });
});
