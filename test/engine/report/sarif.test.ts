import { describe, expect, it } from "vitest";
import { createRule, type Rule } from "../../../src/engine/rule";
import { SARIF_LIMITS, artifactUri, ruleTags, sarifLevel, toSarif, type SarifLog } from "../../../src/engine/report/sarif";
import type { Finding } from "../../../src/engine/types";
import { finding, result, sqlFinding, sqlFix } from "./sample-result";
import { sarifSchemaErrors } from "./sarif-schema";

const cardRule: Rule = createRule({
  id: "card-number-in-source",
  meta: {
    title: "Card number in source code",
    description: "A Luhn-valid primary account number is written into source code, where every clone and build keeps it.",
    severity: "high",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-540"],
    owasp: ["A01:2021"],
    pci: ["3.5.1"],
    remediation: "Remove the card number; use a processor test token instead.",
    references: ["https://www.pcisecuritystandards.org/document_library/"],
    tags: ["pan"],
    languages: ["javascript", "typescript", "text"],
  },
  create: () => ({}),
});

const weakHashRule: Rule = createRule({
  id: "unkeyed-pan-hash",
  meta: {
    ...cardRule.meta,
    title: "PAN hashed without a key",
    severity: "info",
    confidence: "low",
    cwe: ["CWE-328", "CWE-759"],
    owasp: ["A02:2021"],
    pci: ["3.5.1.1"],
    category: "crypto",
    tags: [],
  },
  create: () => ({}),
});

const notifications = [
  { level: "note" as const, code: "binary-file" as const, path: "assets/logo.png", message: "Binary file skipped." },
  { level: "warning" as const, code: "sql-parse-error" as const, path: "db/schema.sql", line: 3, column: 1, message: "SQL statement did not parse as mysql." },
  {
    level: "error" as const,
    code: "rule-error" as const,
    path: "src/x.ts",
    ruleId: "card-number-in-source",
    message: "Rule card-number-in-source failed on this file.",
  },
];

function run(log: SarifLog) {
  return log.runs[0];
}

describe("toSarif", () => {
  const log = toSarif(result([sqlFinding(), finding()], notifications), { rules: [weakHashRule, cardRule], category: "pci/backend" });

  it("validates against the SARIF 2.1.0 schema", () => {
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(sarifSchemaErrors(toSarif(result([])))).toEqual([]);
  });

  it("is checked by a validator that does reject invalid SARIF", () => {
    const broken = structuredClone(log) as unknown as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }>;
    };
    broken.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(broken).join()).toContain("startLine");
    expect(sarifSchemaErrors({ ...log, version: "2.0.0" })).not.toEqual([]);
  });

  it("writes the log header and one run of pci-auditor", () => {
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run(log).tool.driver.name).toBe("pci-auditor");
    expect(run(log).tool.driver.semanticVersion).toBe("0.1.0");
    expect(run(log).automationDetails).toEqual({ id: "pci/backend/" });
    expect(toSarif(result([]), { category: "pci/" }).runs[0].automationDetails).toEqual({ id: "pci/" });
    // Always set, so two tools' uploads never replace each other's analysis.
    expect(toSarif(result([])).runs[0].automationDetails).toEqual({ id: "pci-auditor/" });
    expect(toSarif(result([]), { automationId: "pci-auditor/scan_42", category: "ignored" }).runs[0].automationDetails).toEqual({ id: "pci-auditor/scan_42" });
  });

  it("describes every rule given plus every rule a finding cites, sorted by id", () => {
    const rules = run(log).tool.driver.rules;
    // sql-string-concat is not in the rule list given: described from its finding.
    expect(rules.map((r) => r.id)).toEqual(["card-number-in-source", "sql-string-concat", "unkeyed-pan-hash"]);
    const card = rules[0]!;
    expect(card.name).toBe("CardNumberInSourceCode");
    expect(card.shortDescription.text).toBe("Card number in source code");
    expect(card.fullDescription.text).toBe(cardRule.meta.description);
    expect(card.helpUri).toBe("https://www.pcisecuritystandards.org/document_library/");
    expect(card.defaultConfiguration.level).toBe("error");
    expect(card.properties).toEqual({
      tags: ["security", "pci-dss", "external/cwe/cwe-540", "pci-dss-3.5.1", "owasp-a01-2021", "pan"],
      precision: "high",
      "security-severity": "8.0",
      category: "card-data",
    });
    const sql = rules[1]!;
    expect(sql.name).toBe("SQLBuiltFromRequestInput"); // words capitalised, acronyms kept;
    expect(sql.defaultConfiguration.level).toBe("error");
    expect(sql.properties["security-severity"]).toBe("9.5");
    expect(sql.properties.precision).toBe("medium");
    expect(sql.properties.tags).toContain("external/cwe/cwe-089");
  });

  it("writes help text and markdown with remediation and the standards cited", () => {
    const card = run(log).tool.driver.rules[0]!;
    expect(card.help.text).toContain(cardRule.meta.description);
    expect(card.help.text).toContain("Remediation: Remove the card number; use a processor test token instead.");
    expect(card.help.text).toContain("PCI DSS v4.0.1: 3.5.1 (PAN rendered unreadable wherever it is stored)");
    expect(card.help.text).toContain("CWE: CWE-540");
    expect(card.help.text).toContain("OWASP Top 10 2021: A01:2021 (Broken Access Control)");
    expect(card.help.text).toContain("- https://www.pcisecuritystandards.org/document_library/");
    expect(card.help.markdown).toContain("## Remediation");
    expect(card.help.markdown).toContain("[CWE-540](https://cwe.mitre.org/data/definitions/540.html)");
    expect(card.help.markdown).toContain("[A01:2021 Broken Access Control](https://owasp.org/Top10/A01_2021-Broken_Access_Control/)");
    expect(card.help.markdown).toContain("- <https://www.pcisecuritystandards.org/document_library/>");
  });

  it("renders code spans in help markdown as code, and escapes Markdown elsewhere", () => {
    const xxe = toSarif(result([])).runs[0].tool.driver.rules.find((r) => r.id === "xxe")!;
    expect(xxe.help.markdown).toContain("(`noent: true`, `XML_PARSE_NOENT`");
    expect(xxe.help.markdown).not.toContain("\\`");
  });

  it("maps info to note without a security-severity, so GitHub does not rank it as a security alert", () => {
    const hash = run(log).tool.driver.rules[2]!;
    expect(hash.defaultConfiguration.level).toBe("note");
    expect(hash.properties).not.toHaveProperty("security-severity");
    expect(hash.properties.precision).toBe("low");
    expect(hash.properties.tags).toEqual(["security", "pci-dss", "external/cwe/cwe-328", "external/cwe/cwe-759", "pci-dss-3.5.1.1", "owasp-a02-2021"]);
  });

  it("writes each finding as a result pointing at its rule", () => {
    const [sql, card] = run(log).results;
    expect(sql).toMatchObject({
      ruleId: "sql-string-concat",
      ruleIndex: 1,
      level: "error",
      message: { text: "Query text is built from req.query.id; use a bound parameter." },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "src/db/users.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 40, startColumn: 9, endLine: 41, endColumn: 30 },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: "fedcba9876543210fedcba9876543210" },
      properties: { severity: "critical", confidence: "medium", pci: ["6.2.4"], tags: ["sqli"] },
    });
    expect(card!.ruleIndex).toBe(0);
    expect(card!.codeFlows).toBeUndefined();
  });

  it("writes a finding's flow as one code flow, source first", () => {
    const [sql] = run(log).results;
    expect(sql!.codeFlows).toEqual([
      {
        threadFlows: [
          {
            locations: [
              {
                location: {
                  physicalLocation: {
                    artifactLocation: { uri: "src/db/users.ts", uriBaseId: "%SRCROOT%" },
                    region: { startLine: 38, startColumn: 14, endLine: 38, endColumn: 26 },
                  },
                  message: { text: "req.query.id enters here" },
                },
              },
              {
                location: {
                  physicalLocation: {
                    artifactLocation: { uri: "src/db/users.ts", uriBaseId: "%SRCROOT%" },
                    region: { startLine: 40, startColumn: 9, endLine: 41, endColumn: 30 },
                  },
                  message: { text: "reaches db.query" },
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  it("uses the result level of the finding when it differs from the rule default", () => {
    const downgraded = toSarif(result([finding({ severity: "medium" })]), { rules: [cardRule] });
    expect(run(downgraded).results[0]!.level).toBe("warning");
    expect(run(downgraded).tool.driver.rules[0]!.defaultConfiguration.level).toBe("error");
  });

  it("writes notifications as tool execution notifications", () => {
    expect(run(log).invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: "note",
            message: { text: "Binary file skipped." },
            descriptor: { id: "binary-file" },
            locations: [{ physicalLocation: { artifactLocation: { uri: "assets/logo.png", uriBaseId: "%SRCROOT%" } } }],
          },
          {
            level: "warning",
            message: { text: "SQL statement did not parse as mysql." },
            descriptor: { id: "sql-parse-error" },
            locations: [{ physicalLocation: { artifactLocation: { uri: "db/schema.sql", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 1 } } }],
          },
          {
            level: "error",
            message: { text: "Rule card-number-in-source failed on this file." },
            descriptor: { id: "rule-error" },
            associatedRule: { id: "card-number-in-source" },
            locations: [{ physicalLocation: { artifactLocation: { uri: "src/x.ts", uriBaseId: "%SRCROOT%" } } }],
          },
        ],
      },
    ]);
  });

  it("meets GitHub's requirements for every rule and result", () => {
    const r = run(log);
    for (const rule of r.tool.driver.rules) {
      expect(rule.help.text.length).toBeGreaterThan(0);
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.name.length).toBeLessThanOrEqual(255);
      if (rule.defaultConfiguration.level !== "note" || rule.properties["security-severity"] !== undefined) {
        expect(rule.properties["security-severity"]).toMatch(/^\d+\.\d$/);
        expect(Number(rule.properties["security-severity"])).toBeLessThanOrEqual(10);
        expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
      }
      expect(rule.properties.tags).toContain("security");
      expect(rule.properties.tags.some((t) => /^external\/cwe\/cwe-\d{3,}$/.test(t))).toBe(true);
      expect(rule.properties.tags.length).toBeLessThanOrEqual(20);
    }
    for (const res of r.results) {
      expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(res.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:/i);
      expect(r.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    }
  });

  it("is deterministic", () => {
    const again = toSarif(result([sqlFinding(), finding()], notifications), { rules: [cardRule, weakHashRule], category: "pci/backend" });
    expect(JSON.stringify(again)).toBe(JSON.stringify(log));
  });
});

describe("SARIF fixes", () => {
  const withFix = (verdict: "proven" | "plausible" | "rejected", options = {}) =>
    run(toSarif(result([sqlFinding({ fix: sqlFix({ verdict }) }), finding()]), options)).results[0]!;

  it("writes a proven fix as the result's fix, each replacement a region of the original file, and validates", () => {
    const log = toSarif(result([sqlFinding({ fix: sqlFix() })]));
    expect(sarifSchemaErrors(log)).toEqual([]);
    const sql = run(log).results[0]!;
    expect(sql.properties.fixVerdict).toBe("proven");
    expect(sql.fixes).toEqual([
      {
        description: {
          text:
            "Sends the SQL text as a constant with `?` placeholders and the value as bound parameters (mysql). Verdict: proven. " +
            "Re-running the dataflow on the patched code, no attacker data reaches the sink as text any more.",
        },
        artifactChanges: [
          {
            artifactLocation: { uri: "src/db/users.ts", uriBaseId: "%SRCROOT%" },
            replacements: [
              {
                deletedRegion: { startLine: 40, startColumn: 12, endLine: 41, endColumn: 17 },
                insertedContent: { text: '"SELECT * FROM users WHERE id = ?"' },
              },
              // An insertion: an empty region, start and end at the same column.
              { deletedRegion: { startLine: 41, startColumn: 17, endLine: 41, endColumn: 17 }, insertedContent: { text: ", [req.query.id]" } },
            ],
          },
        ],
      },
    ]);
  });

  it("names the fixed file as the result does, relative to the repository root", () => {
    const sql = withFix("proven", { pathPrefix: "services/pay" });
    expect(sql.fixes![0].artifactChanges[0]!.artifactLocation).toEqual(sql.locations[0].physicalLocation.artifactLocation);
    expect(sql.locations[0].physicalLocation.artifactLocation.uri).toBe("services/pay/src/db/users.ts");
  });

  it("offers no plausible or rejected fix for applying, but gives every fix's verdict", () => {
    for (const verdict of ["plausible", "rejected"] as const) {
      const sql = withFix(verdict);
      expect(sql.fixes).toBeUndefined();
      expect(sql.properties.fixVerdict).toBe(verdict);
    }
    const card = run(toSarif(result([finding()]))).results[0]!;
    expect(card.fixes).toBeUndefined();
    expect(card.properties).not.toHaveProperty("fixVerdict");
  });

  it("leaves out a proven fix without edits, which SARIF cannot express", () => {
    const log = toSarif(result([sqlFinding({ fix: sqlFix({ changes: [] }) })]));
    expect(run(log).results[0]!.fixes).toBeUndefined();
    expect(sarifSchemaErrors(log)).toEqual([]);
  });
});

describe("SARIF limits", () => {
  it("keeps the 25,000 most severe results in their order and says so", () => {
    const findings: Finding[] = [];
    for (let i = 0; i < SARIF_LIMITS.resultsPerRun; i++) {
      findings.push(finding({ severity: "low", location: { path: "a.txt", startLine: i + 1, startColumn: 1, endLine: i + 1, endColumn: 5 } }));
    }
    findings.push(finding({ severity: "critical", location: { path: "b.txt", startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 } }));
    const log = toSarif(result(findings));
    const results = log.runs[0].results;
    expect(results).toHaveLength(25_000);
    expect(results[0]!.locations[0].physicalLocation.region!.startLine).toBe(1);
    expect(results.at(-2)!.locations[0].physicalLocation.region!.startLine).toBe(24_999); // the last low one went
    expect(results.at(-1)!.properties.severity).toBe("critical");
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: "warning", descriptor: { id: "sarif-result-cap" } });
    expect(notes[0]!.message.text).toContain("25001");
  });

  it("caps tags at 20 and thread flow locations at 10,000", () => {
    const tags = ruleTags({ cwe: Array.from({ length: 30 }, (_, i) => `CWE-${i + 1}`), pci: ["3.5.1"], owasp: ["A02:2021"], tags: [] });
    expect(tags).toHaveLength(20);
    expect(tags.slice(0, 3)).toEqual(["security", "pci-dss", "external/cwe/cwe-001"]);
    const step = { location: { path: "a.js", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }, message: "step" };
    const log = toSarif(result([finding({ flow: Array.from({ length: 10_050 }, () => step) })]));
    expect(log.runs[0].results[0]!.codeFlows![0].threadFlows[0].locations).toHaveLength(10_000);
  });
});

describe("sarifLevel", () => {
  it.each([
    ["critical", "error"],
    ["high", "error"],
    ["medium", "warning"],
    ["low", "note"],
    ["info", "note"],
  ] as const)("%s → %s", (severity, level) => {
    expect(sarifLevel(severity)).toBe(level);
  });
});

describe("artifactUri", () => {
  it.each([
    ["src/pay.ts", "src/pay.ts"],
    ["./src/pay.ts", "src/pay.ts"],
    ["src\\win\\pay.ts", "src/win/pay.ts"],
    ["/home/ci/repo/pay.ts", "home/ci/repo/pay.ts"],
    ["C:\\repo\\pay.ts", "repo/pay.ts"],
    ["docs/my file#1.md", "docs/my%20file%231.md"],
    ["src/100%.js", "src/100%25.js"],
    ["a:b/c.js", "a%3Ab/c.js"],
    ["src/café.ts", "src/caf%C3%A9.ts"],
    ["../shared/x.ts", "../shared/x.ts"],
    ["a/../../b.ts", "../b.ts"],
    ["bad\uD800name.js", "bad%EF%BF%BDname.js"],
  ])("%s → %s", (path, uri) => {
    expect(artifactUri(path)).toBe(uri);
  });

  it.each([
    ["src/pay.ts", "services/pay", "services/pay/src/pay.ts"],
    ["../shared/db.js", "services/pay", "services/shared/db.js"],
    ["./index.js", "", "index.js"],
  ])("%s under %s → %s", (path, prefix, uri) => {
    expect(artifactUri(path, prefix)).toBe(uri);
  });
});
