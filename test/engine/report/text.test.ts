import { describe, expect, it } from "vitest";
import { printable, toText } from "../../../src/engine/report/text";
import type { Notification } from "../../../src/engine/types";
import { finding, result, sqlFinding, sqlFix } from "./sample-result";

const panInLog = finding({
  ruleId: "pan-in-log",
  severity: "medium",
  message: "Card number written to a log.",
  pci: ["3.5.1", "10.2.1"],
  location: { path: "src/pay.ts", startLine: 30, startColumn: 3, endLine: 30, endColumn: 29 },
  snippet: '  console.log("card", card);',
});

const notifications: Notification[] = [
  { level: "note", code: "binary-file", path: "logo.png", message: "Binary file skipped." },
  { level: "warning", code: "sql-parse-error", path: "db/schema.sql", line: 3, column: 1, message: "SQL statement did not parse as mysql." },
  { level: "error", code: "rule-error", path: "src/x.ts", ruleId: "pan-in-log", message: "Rule pan-in-log failed on this file." },
];

describe("toText", () => {
  it("groups findings by file, sorted by line, with snippets, notifications, PCI summary and totals", () => {
    // Input deliberately out of order: the reporter sorts.
    const text = toText(result([panInLog, finding(), sqlFinding()], notifications, 4));
    expect(text).toBe(
      [
        "src/db/users.ts",
        "  40:9  critical  sql-string-concat  Query text is built from req.query.id; use a bound parameter.",
        '        db.query("SELECT * FROM users WHERE id = " +',
        "          req.query.id);",
        "        → src/db/users.ts:38:14  req.query.id enters here",
        "        → src/db/users.ts:40:9  reaches db.query",
        "",
        "src/pay.ts",
        "  12:15  high    card-number-in-source  Visa card number 411111******1111 in source code.",
        '         const card = "411111******1111";',
        "  30:3   medium  pan-in-log             Card number written to a log.",
        '         console.log("card", card);',
        "",
        "Notifications",
        "  error    src/x.ts  rule-error  Rule pan-in-log failed on this file.",
        "  warning  db/schema.sql:3:1  sql-parse-error  SQL statement did not parse as mysql.",
        "  note     logo.png  binary-file  Binary file skipped.",
        "",
        "PCI DSS v4.0.1 requirements",
        "  3.5.1   PAN rendered unreadable wherever it is stored" + " ".repeat(64 - 45) + "  2 findings",
        "  6.2.4   Software prevents common attacks (injection, XSS, crypto misuse)  1 finding",
        "  10.2.1  Audit logs enabled and active" + " ".repeat(64 - 29) + "  1 finding",
        "",
        "3 findings (1 critical, 1 high, 1 medium) in 4 files: 3 scanned, 1 skipped.",
        "",
      ].join("\n"),
    );
  });

  it("gives an injection finding's fix verdict, or why it has no fix, after its flow", () => {
    const fixed = toText(result([sqlFinding({ fix: sqlFix({ verdict: "plausible", description: "Binds the value.\u001b[2J" }) })]));
    expect(fixed).toContain("        → src/db/users.ts:40:9  reaches db.query\n        fix: plausible — Binds the value.\\x1b[2J\n\n");
    const unfixable = toText(result([sqlFinding({ fixUnavailable: "the data is used as a table name, which no placeholder can hold" })]));
    expect(unfixable).toContain("reaches db.query\n        no fix: the data is used as a table name, which no placeholder can hold\n\n");
    expect(toText(result([sqlFinding()]))).not.toContain("fix:");
  });

  it("says so plainly when nothing was found", () => {
    expect(toText(result([], [], 3))).toBe("0 findings in 3 files: 3 scanned, 0 skipped.\n");
    expect(toText(result([finding()], [], 1)).endsWith("1 finding (1 high) in 1 file: 1 scanned, 0 skipped.\n")).toBe(true);
  });

  it("names a requirement without a known title by number only", () => {
    const text = toText(result([finding({ pci: ["12.99.1"] })]));
    expect(text).toContain("\n  12.99.1    1 finding\n");
  });

  it("colours only when asked", () => {
    const plain = toText(result([sqlFinding(), finding()], notifications));
    expect(plain).not.toContain("\u001b[");
    const coloured = toText(result([sqlFinding(), finding()], notifications), { color: true });
    expect(coloured).toContain("\u001b[31m\u001b[1mcritical\u001b[22m\u001b[39m");
    expect(coloured).toContain("\u001b[31mhigh\u001b[39m");
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });

  it("neutralises terminal escapes and bidi controls from scanned text", () => {
    const hostile = finding({
      message: "Card in \u001b[2Jclear-screen",
      snippet: 'const x = "\u202eevil\u2066"; // \u0007',
      location: { path: "src/\u001b]0;title\u0007.ts", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    });
    const text = toText(result([hostile]), { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e\u2066]/);
    expect(text).toContain("Card in \\x1b[2Jclear-screen");
    expect(text).toContain('const x = "\\u202eevil\\u2066"; // \\x07');
    expect(text).toContain("src/\\x1b]0;title\\x07.ts");
  });

  it("lists ten notes, then counts the rest by code", () => {
    const many: Notification[] = Array.from({ length: 13 }, (_, i) => ({
      level: "note",
      code: "binary-file",
      path: `img/${String(i).padStart(2, "0")}.png`,
      message: "Binary file skipped.",
    }));
    const text = toText(result([], many, 13));
    expect(text).toContain("  note     img/09.png  binary-file  Binary file skipped.\n");
    expect(text).not.toContain("img/10.png");
    expect(text).toContain("  note     binary-file  3 more like this\n");
  });
});

describe("printable", () => {
  it.each([
    ["plain text\twith tab", "plain text\twith tab"],
    ["a\nb\r", "a\\x0ab\\x0d"],
    ["\u001b[31m", "\\x1b[31m"],
    ["del\u007f c1\u0085", "del\\x7f c1\\x85"],
    ["rtl \u202e override", "rtl \\u202e override"],
    ["€ and 中文 are fine", "€ and 中文 are fine"],
  ])("%j → %j", (input, output) => {
    expect(printable(input)).toBe(output);
  });
});
