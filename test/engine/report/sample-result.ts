/**
 * Hand-built findings and scan results for reporter tests, so reporters are tested against
 * known values whatever rules the registry holds.
 */
import { SEVERITIES, type Finding, type Fix, type Notification, type ScanResult, type Severity } from "../../../src/engine/types";

/** A card-number finding; override any field. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: "0123456789abcdef0123",
    ruleId: "card-number-in-source",
    severity: "high",
    confidence: "high",
    title: "Card number in source code",
    message: "Visa card number 411111******1111 in source code.",
    cwe: ["CWE-540"],
    owasp: ["A01:2021"],
    pci: ["3.5.1"],
    category: "card-data",
    tags: ["pan"],
    location: { path: "src/pay.ts", startLine: 12, startColumn: 15, endLine: 12, endColumn: 33 },
    snippet: '    const card = "411111******1111";',
    flow: [],
    fingerprint: "0123456789abcdef0123456789abcdef",
    remediation: "Remove the card number; use a processor test token instead.",
    ...overrides,
  };
}

/** A string-built SQL finding with a two-step source → sink flow. */
export function sqlFinding(overrides: Partial<Finding> = {}): Finding {
  return finding({
    id: "fedcba9876543210fedc",
    ruleId: "sql-string-concat",
    severity: "critical",
    confidence: "medium",
    title: "SQL built from request input",
    message: "Query text is built from req.query.id; use a bound parameter.",
    cwe: ["CWE-89"],
    owasp: ["A03:2021"],
    pci: ["6.2.4"],
    category: "injection",
    tags: ["sqli"],
    location: { path: "src/db/users.ts", startLine: 40, startColumn: 9, endLine: 41, endColumn: 30 },
    snippet: '  db.query("SELECT * FROM users WHERE id = " +\n    req.query.id);',
    flow: [
      { location: { path: "src/db/users.ts", startLine: 38, startColumn: 14, endLine: 38, endColumn: 26 }, message: "req.query.id enters here" },
      { location: { path: "src/db/users.ts", startLine: 40, startColumn: 9, endLine: 41, endColumn: 30 }, message: "reaches db.query" },
    ],
    fingerprint: "fedcba9876543210fedcba9876543210",
    remediation: "Pass values as bound parameters.",
    ...overrides,
  });
}

/**
 * A fix for sqlFinding's query: the text becomes constant with a placeholder (a replacement over
 * two lines) and the value is bound (an insertion, an empty region).
 */
export function sqlFix(overrides: Partial<Fix> = {}): Fix {
  return {
    verdict: "proven",
    origin: "mechanical",
    description: "Sends the SQL text as a constant with `?` placeholders and the value as bound parameters (mysql).",
    evidence: "Re-running the dataflow on the patched code, no attacker data reaches the sink as text any more.",
    diff: [
      "--- a/src/db/users.ts",
      "+++ b/src/db/users.ts",
      "@@ -40,2 +40,1 @@",
      '-  db.query("SELECT * FROM users WHERE id = " +',
      "-    req.query.id);",
      '+  db.query("SELECT * FROM users WHERE id = ?", [req.query.id]);',
      "",
    ].join("\n"),
    changes: [
      {
        path: "src/db/users.ts",
        replacements: [
          { startLine: 40, startColumn: 12, endLine: 41, endColumn: 17, text: '"SELECT * FROM users WHERE id = ?"' },
          { startLine: 41, startColumn: 17, endLine: 41, endColumn: 17, text: ", [req.query.id]" },
        ],
      },
    ],
    ...overrides,
  };
}

/** A ScanResult around findings and notifications, with stats that agree with them. */
export function result(findings: Finding[], notifications: Notification[] = [], files = 3): ScanResult {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  const skipped = notifications.filter((n) => n.code === "binary-file" || n.code === "file-too-large").length;
  return {
    engineVersion: "0.1.0",
    findings,
    notifications,
    stats: { files, filesScanned: files - skipped, filesSkipped: skipped, bytes: 4096, findings: findings.length, bySeverity, rulesRun: 2 },
  };
}
