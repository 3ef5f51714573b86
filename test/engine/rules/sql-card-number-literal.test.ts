import { describe, expect, it } from "vitest";
import { scan } from "../../../src/engine/index";
import rule from "../../../src/engine/rules/sql-card-number-literal";
import { sqlRuleCases } from "./sql-rule-tester";

// 4539876543210988 (Visa) and 5158374610293845 (Mastercard) pass Luhn and are no published test cards.
sqlRuleCases(rule, {
  valid: [
    "INSERT INTO orders (order_no) VALUES ('1234567812345678')",
    "INSERT INTO cards (token) VALUES ('tok_4539876543210988')",
    "INSERT INTO cards (last4) VALUES ('0988')",
    "INSERT INTO t (n) VALUES (4539876543210987)",
    "UPDATE cards SET pan = ? WHERE id = 1",
    // Not a write: left to card-number-in-source.
    "SELECT * FROM cards WHERE pan = '4539876543210988'",
    { code: "db.prepare('INSERT INTO cards (pan) VALUES (?)').run(pan);", path: "src/cards.js" },
  ],
  invalid: [
    {
      code: "INSERT INTO cards (holder, pan) VALUES ('A', '4539876543210988')",
      errors: [{ line: 1, column: 47, severity: "critical", message: /^INSERT writes a Visa card number 453987\*{6}0988 into column pan:/ }],
    },
    {
      code: "INSERT INTO cards (holder, pan) VALUES\n  ('A', '5158 3746 1029 3845'),\n  ('B', '4242424242424242');",
      errors: [
        { line: 2, column: 10, severity: "critical", message: /Mastercard card number 515837\*{6}3845 into column pan/ },
        { line: 3, column: 10, severity: "info", message: /published Visa test card number 424242\*{6}4242/ },
      ],
    },
    { code: "UPDATE cards SET pan = 5158374610293845 WHERE id = 2", errors: [{ line: 1, column: 24, message: /into column pan/ }] },
    { code: "db.exec(\"INSERT INTO cards (pan) VALUES ('4539876543210988')\");", path: "src/seed.js", errors: [{ line: 1, column: 43 }] },
  ],
});

describe("sql-card-number-literal with every rule on", () => {
  it("replaces card-number-in-source at the same place and masks the number everywhere", async () => {
    const result = await scan({ files: [{ path: "seed.sql", content: "INSERT INTO cards (pan) VALUES ('4539876543210988');\n" }] });
    expect(result.findings.map((f) => [f.ruleId, f.location.startLine, f.location.startColumn])).toEqual([["sql-card-number-literal", 1, 34]]);
    const f = result.findings[0]!;
    expect(f.snippet).toBe("INSERT INTO cards (pan) VALUES ('453987******0988');");
    expect(JSON.stringify(result)).not.toContain("4539876543210988");
  });
});
