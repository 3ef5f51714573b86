import { describe, expect, it } from "vitest";
import { toJson, toJsonReport } from "../../../src/engine/report/json";
import type { Finding, ScanResult } from "../../../src/engine/types";
import { finding, result, sqlFinding, sqlFix } from "./sample-result";

/** The same object with its keys inserted in reverse order, at every level. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  ) as T;
}

const scan = result(
  [
    sqlFinding(),
    finding(),
    finding({
      ruleId: "pan-in-log",
      pci: ["3.5.1", "10.2.1"],
      severity: "medium",
      location: { path: "src/pay.ts", startLine: 30, startColumn: 3, endLine: 30, endColumn: 40 },
    }),
  ],
  [{ level: "note", code: "binary-file", path: "logo.png", message: "Binary file skipped." }],
  4,
);

describe("toJson", () => {
  it("summarises findings by severity, PCI requirement and rule", () => {
    expect(toJsonReport(scan).summary).toEqual({
      findings: 3,
      suppressed: 0,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
      byPciRequirement: { "3.5.1": 2, "6.2.4": 1, "10.2.1": 1 },
      byRule: { "card-number-in-source": 1, "pan-in-log": 1, "sql-string-concat": 1 },
      notifications: { error: 0, warning: 0, note: 1 },
    });
  });

  it("orders PCI requirements numerically, not as text", () => {
    const keys = Object.keys(toJsonReport(scan).summary.byPciRequirement);
    expect(keys).toEqual(["3.5.1", "6.2.4", "10.2.1"]);
  });

  it("keeps the whole result: stats, findings, notifications", () => {
    const parsed = JSON.parse(toJson(scan)) as ScanResult & { summary: unknown };
    expect(parsed.engineVersion).toBe("0.1.0");
    expect(parsed.stats).toEqual(scan.stats);
    expect(parsed.findings).toEqual(scan.findings);
    expect(parsed.notifications).toEqual(scan.notifications);
  });

  it("writes keys in a fixed order whatever order the input has", () => {
    const text = toJson(scan);
    expect(toJson(reversedKeys(scan))).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual(["engineVersion", "summary", "stats", "findings", "suppressed", "notifications"]);
    const first = JSON.parse(text).findings[0] as Finding;
    expect(Object.keys(first)).toEqual([
      "id",
      "ruleId",
      "severity",
      "confidence",
      "title",
      "message",
      "cwe",
      "owasp",
      "pci",
      "category",
      "tags",
      "location",
      "snippet",
      "flow",
      "fingerprint",
      "remediation",
    ]);
    expect(Object.keys(first.location)).toEqual(["path", "startLine", "startColumn", "endLine", "endColumn"]);
    expect(Object.keys(first.flow[0]!)).toEqual(["location", "message"]);
    expect(Object.keys(JSON.parse(text).notifications[0])).toEqual(["level", "code", "path", "message"]);
  });

  it("keeps unknown fields, after the known ones, sorted", () => {
    const extra = { ...finding(), zeta: 1, alpha: 2 } as Finding;
    const keys = Object.keys(JSON.parse(toJson(result([extra]))).findings[0]);
    expect(keys.slice(-2)).toEqual(["alpha", "zeta"]);
  });

  it("includes a proof with its own fixed key order", () => {
    const proof = {
      verdict: "proven" as const,
      kind: "sql" as const,
      payload: "1 OR 1=1",
      evidence: "The payload added a tautology to the WHERE clause.",
      parser: { version: "5.4.0", name: "node-sql-parser", dialect: "mysql" },
      benign: { structure: "select", rendered: "SELECT * FROM t WHERE id = 7", input: "7" },
      attack: { structure: "select+or", rendered: "SELECT * FROM t WHERE id = 1 OR 1=1", input: "1 OR 1=1" },
    };
    const out = JSON.parse(toJson(result([sqlFinding({ proof })]))).findings[0];
    expect(Object.keys(out.proof)).toEqual(["kind", "payload", "benign", "attack", "verdict", "evidence", "parser"]);
    expect(Object.keys(out.proof.benign)).toEqual(["input", "rendered", "structure"]);
    expect(Object.keys(out.proof.parser)).toEqual(["name", "version", "dialect"]);
  });

  it("includes a fix, or why there is none, after the proof, with its own fixed key order", () => {
    const check = {
      parser: { dialect: "mysql", version: "5.4.0", name: "node-sql-parser" },
      attack: { structure: "select", rendered: "SELECT * FROM users WHERE id = '1 OR 1=1'", input: "1 OR 1=1" },
      benign: { structure: "select", rendered: "SELECT * FROM users WHERE id = '7'", input: "7" },
      before: { structure: "select", rendered: "SELECT * FROM users WHERE id = 7", input: "7" },
      payload: "1 OR 1=1",
    };
    const fixed = reversedKeys(sqlFinding({ fix: sqlFix({ check }), proofRef: "proofs/1" }));
    const out = JSON.parse(toJson(result([fixed]))).findings[0];
    expect(Object.keys(out).slice(-3)).toEqual(["remediation", "proofRef", "fix"]);
    expect(Object.keys(out.fix)).toEqual(["verdict", "origin", "description", "evidence", "diff", "changes", "check"]);
    expect(Object.keys(out.fix.changes[0])).toEqual(["path", "replacements"]);
    expect(Object.keys(out.fix.changes[0].replacements[1])).toEqual(["startLine", "startColumn", "endLine", "endColumn", "text"]);
    expect(Object.keys(out.fix.check)).toEqual(["payload", "before", "benign", "attack", "parser"]);
    expect(Object.keys(out.fix.check.before)).toEqual(["input", "rendered", "structure"]);
    expect(Object.keys(out.fix.check.parser)).toEqual(["name", "version", "dialect"]);

    const without = reversedKeys(sqlFinding({ fixUnavailable: "the data is used as a column name", suppression: { kind: "inSource", justification: "" } }));
    expect(Object.keys(JSON.parse(toJson(result([without]))).findings[0]).slice(-3)).toEqual(["remediation", "fixUnavailable", "suppression"]);
  });

  it("is pretty-printed with a trailing newline", () => {
    const text = toJson(result([]));
    expect(text.startsWith('{\n  "engineVersion": "0.1.0",\n  "summary": {\n')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });
});
