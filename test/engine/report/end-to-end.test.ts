/**
 * Every reporter over a real scan with the rules the registry holds: realistic files with card
 * data, a secret and risky SQL go through scan(), and each report must be valid, complete,
 * deterministic and free of the raw card number and secret.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { RULES, scan } from "../../../src/engine/index";
import { toJson } from "../../../src/engine/report/json";
import { toSarif, type SarifLog } from "../../../src/engine/report/sarif";
import { toText } from "../../../src/engine/report/text";
import type { ScanInput, ScanResult } from "../../../src/engine/types";
import { sarifSchemaErrors } from "./sarif-schema";

const PAN = "4539148803436467"; // Luhn-valid Visa, not a published test card
const SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXGlTAm6oBXzzXW0EPg5y";

const input: ScanInput = {
  files: [
    {
      path: "src/checkout/charge.ts",
      content: [
        'import { db } from "../db";',
        "",
        `const FALLBACK_CARD = "${PAN}";`,
        `const STRIPE_KEY = "${SECRET}";`,
        "",
        "export async function charge(req: { query: { id: string } }) {",
        '  const rows = await db.query("SELECT * FROM payments WHERE id = " + req.query.id);',
        "  console.log(`charging card ${FALLBACK_CARD}`);",
        "  return rows;",
        "}",
        "",
      ].join("\n"),
    },
    {
      path: "db/migrations/001_init.sql",
      content: [
        "CREATE TABLE cards (id INTEGER PRIMARY KEY, pan VARCHAR(19), cvv VARCHAR(4));",
        `INSERT INTO cards (id, pan, cvv) VALUES (1, '${PAN}', '123');`,
        "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%';",
        "",
      ].join("\n"),
    },
    { path: "config/.env", content: `STRIPE_SECRET_KEY=${SECRET}\nDATABASE_URL=mysql://app:hunter2hunter2@db.internal:3306/shop\n` },
    { path: "README.md", content: "# Shop\n\nUse test card 4242 4242 4242 4242 in development.\n" },
  ],
};

describe("reporters over a real scan", () => {
  let result: ScanResult;
  let sarif: SarifLog;
  let outputs: Record<"sarif" | "json" | "text" | "colour", string>;

  beforeAll(async () => {
    result = await scan(input);
    sarif = toSarif(result);
    outputs = { sarif: JSON.stringify(sarif), json: toJson(result), text: toText(result), colour: toText(result, { color: true }) };
  });

  it("has real findings to report", () => {
    const found = result.findings.map((f) => `${f.location.path} ${f.ruleId}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "src/checkout/charge.ts card-number-in-source",
        "src/checkout/charge.ts hardcoded-api-key",
        "db/migrations/001_init.sql sql-overbroad-grant",
        "config/.env hardcoded-api-key",
      ]),
    );
    // The published Stripe test card is sample data, not cardholder data.
    for (const f of result.findings.filter((x) => x.location.path === "README.md")) expect(f.severity).toBe("info");
  });

  it("writes SARIF that validates and describes every rule and every result's rule", () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.results).toHaveLength(result.findings.length);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id).sort());
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
    }
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text).not.toBe("");
      expect(rule.properties.tags.some((t) => t.startsWith("external/cwe/cwe-"))).toBe(true);
    }
  });

  it("keeps every finding in the JSON report", () => {
    const parsed = JSON.parse(outputs.json);
    expect(parsed.findings).toEqual(result.findings);
    expect(parsed.summary.findings).toBe(result.findings.length);
  });

  it("lists every finding in the text report under its file", () => {
    for (const f of result.findings) {
      expect(outputs.text).toContain(`${f.location.startLine}:${f.location.startColumn}`);
      expect(outputs.text).toContain(f.ruleId);
    }
    expect(outputs.text).toMatch(/\d+ findings? .*in 4 files: 4 scanned, 0 skipped\.\n$/);
  });

  it("never writes the raw card number or secret", () => {
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.includes(PAN), `${name} holds the PAN`).toBe(false);
      expect(text.includes(SECRET), `${name} holds the secret`).toBe(false);
    }
  });

  it("gives byte-identical reports for the same input", async () => {
    const again = await scan(input);
    expect(JSON.stringify(toSarif(again))).toBe(outputs.sarif);
    expect(toJson(again)).toBe(outputs.json);
    expect(toText(again)).toBe(outputs.text);
  });
});

describe("reporters over a real scan's proven fix", () => {
  const dao = [
    'const mysql = require("mysql2");',
    "const pool = mysql.createPool({});",
    `require("express")().get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = '" + req.query.name + "'"));`,
    "",
  ].join("\n");

  it("writes the fix as SARIF replacements that turn the query into its placeholder form, in a log that validates", async () => {
    const result = await scan({ files: [{ path: "dao.js", content: dao }] });
    const finding = result.findings.find((f) => f.ruleId === "sql-injection")!;
    expect(finding.fix?.verdict).toBe("proven");
    const sarif = toSarif(result);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const fixed = sarif.runs[0].results.find((r) => r.ruleId === "sql-injection")!;
    expect(fixed.properties.fixVerdict).toBe("proven");
    // Applying the replacements (last first, so earlier regions keep their columns) gives the bound form.
    const lines = dao.split("\n");
    const change = fixed.fixes![0].artifactChanges[0]!;
    expect(change.artifactLocation).toEqual({ uri: "dao.js", uriBaseId: "%SRCROOT%" });
    for (const r of [...change.replacements].reverse()) {
      const { startLine, startColumn, endLine, endColumn } = r.deletedRegion;
      expect(endLine).toBe(startLine);
      const line = lines[startLine - 1]!;
      lines[startLine - 1] = line.slice(0, startColumn - 1) + r.insertedContent.text + line.slice(endColumn - 1);
    }
    expect(lines[2]).toBe(`require("express")().get("/a", (req, res) => pool.query("SELECT * FROM cards WHERE owner = ?", [req.query.name]));`);
    expect(toText(result)).toContain(`fix: proven — ${finding.fix!.description}`);
  });
});
