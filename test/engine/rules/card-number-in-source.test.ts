/**
 * card-number-in-source: valid / invalid tables (rule id, line, column, severity, tags,
 * message), severity by place (log files, SQL writes), test cards, user severity settings, and
 * the scan limits the card-data rules share.
 */
import { describe, expect, it } from "vitest";
import { RULES, scan, type Finding, type ScanOptions } from "../../../src/engine/index";

const ID = "card-number-in-source";

/** Only the given rules on. */
function only(...ids: string[]): ScanOptions["rules"] {
  return Object.fromEntries(RULES.map((r) => [r.id, ids.includes(r.id) ? "on" : "off"]));
}

async function findings(code: string, path = "src/app.ts", options: ScanOptions = {}): Promise<Finding[]> {
  const result = await scan({ files: [{ path, content: code }] }, { rules: only(ID), ...options });
  expect(result.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
  return result.findings;
}

interface Expected {
  line: number;
  column: number;
  severity: Finding["severity"];
  message: RegExp;
  tags?: string[];
  confidence?: Finding["confidence"];
}

const INVALID: Array<{ code: string; path?: string; errors: Expected[] }> = [
  {
    code: 'const pan = "4916526018159086";',
    errors: [{ line: 1, column: 14, severity: "high", message: /^Visa card number 491652\*{6}9086 is stored in clear text\. .*PCI DSS 3\.5\.1/ }],
  },
  {
    code: "const a = 1;\n// refund to 5425 8246 2819 4820 tomorrow\n",
    errors: [{ line: 2, column: 14, severity: "high", message: /^Mastercard card number 542582\*{6}4820 / }],
  },
  {
    code: "const cards = [\n  3467231948757460,\n  346723194875746,\n];",
    errors: [{ line: 3, column: 3, severity: "high", message: /^American Express card number 346723\*{5}5746 / }],
  },
  {
    code: 'const b = "NDkxNjUyNjAxODE1OTA4Ng==";',
    errors: [{ line: 1, column: 12, severity: "high", message: /^Base64-encoded Visa card number 491652\*{6}9086 /, tags: ["base64"] }],
  },
  {
    code: "<p>&#53;&#49;&#56;&#54;&#49;&#57;&#57;&#51;&#53;&#49;&#56;&#49;&#57;&#48;&#57;&#52;</p>",
    path: "templates/receipt.html",
    errors: [{ line: 1, column: 4, severity: "high", message: /^HTML-entity-encoded Mastercard card number 518619\*{6}9094 /, tags: ["html-entity"] }],
  },
  {
    code: "SMOKE_PAN=35343235383234363238313934383230\n",
    path: ".env",
    errors: [{ line: 1, column: 11, severity: "high", message: /^Hex-encoded Mastercard card number 542582\*{6}4820 /, tags: ["hex"] }],
  },
  {
    code: 'stripe.charge({ number: "4242 4242 4242 4242" });',
    errors: [
      {
        line: 1,
        column: 26,
        severity: "info",
        message: /^Visa card number 424242\*{6}4242 is a published test card \(Stripe\), not cardholder data/,
        tags: ["test-card"],
      },
    ],
  },
  {
    code: "2024-05-01T10:22:13Z DEBUG authorize pan=4916526018159086\n",
    path: "logs/payments.log",
    errors: [{ line: 1, column: 42, severity: "critical", message: / in a log file\./, tags: ["log"] }],
  },
  {
    code: "INSERT INTO payments (id, card_number) VALUES (1, '6011018955597972');\nSELECT 1 FROM payments WHERE card_number = '4539301661318604';\n",
    path: "db/seed.sql",
    errors: [
      { line: 1, column: 52, severity: "critical", message: / in a SQL statement that writes rows\./, tags: ["sql-data"] },
      { line: 2, column: 45, severity: "high", message: /^Visa card number 453930\*{6}8604 is stored in clear text\./ },
    ],
  },
  {
    code: 'const legacy = { cardNumber: "4929137215907" };',
    errors: [{ line: 1, column: 31, severity: "high", confidence: "medium", message: /^Visa card number 492913\*{3}5907 / }],
  },
];

const VALID: Array<{ code: string; path?: string }> = [
  { code: 'const id = "123e4567-e89b-12d3-a456-426614174008";' },
  { code: "const MAX = 9007199254740991, big = 74916526018159086123, f = 0.4916526018159086;" },
  { code: 'const hash = "da39a3ee4916526018159086afd80709";' },
  { code: 'const masked = "491652******9086";' },
  { code: 'const ports = "4101 4102 4103 4104 4105";' },
  { code: 'const zero = "0000000000000000", seq = "4567890123456783";' },
  { code: 'const barcode = "4006381333932";' },
  { code: "created_at=1700000000004 trace=4bf92f3577b34da6a3ce929d0e0e4736", path: "app.log" },
  {
    code: '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    path: "index.html",
  },
];

describe(ID, () => {
  it.each(INVALID.map((c) => [c.code.replace(/\s+/g, " ").slice(0, 80), c] as const))("reports %s", async (_name, c) => {
    const found = await findings(c.code, c.path);
    expect(found.map((f) => ({ ruleId: f.ruleId, line: f.location.startLine, column: f.location.startColumn, severity: f.severity }))).toEqual(
      c.errors.map((e) => ({ ruleId: ID, line: e.line, column: e.column, severity: e.severity })),
    );
    c.errors.forEach((e, i) => {
      const f = found[i]!;
      expect(f.message).toMatch(e.message);
      for (const tag of e.tags ?? []) expect(f.tags).toContain(tag);
      if (e.confidence) expect(f.confidence).toBe(e.confidence);
      expect(f.pci).toEqual(["3.5.1", "3.4.1"]);
      expect(f.cwe).toEqual(["CWE-540", "CWE-312"]);
    });
  });

  it.each(VALID.map((c) => [c.code.slice(0, 80), c] as const))("stays quiet on %s", async (_name, c) => {
    expect(await findings(c.code, c.path)).toEqual([]);
  });

  it("masks the number in the snippet, test cards included", async () => {
    const [real, test] = await findings('const a = "4916 5260 1815 9086", b = "4242424242424242";');
    expect(real!.snippet).toBe('const a = "4916 52** **** 9086", b = "424242******4242";');
    expect(test!.snippet).toBe(real!.snippet);
  });

  it("follows the user's severity setting, except where the place makes it critical or a test card info", async () => {
    const options: ScanOptions = { rules: { ...only(ID), [ID]: "low" } };
    const result = await scan(
      {
        files: [
          { path: "src/a.ts", content: 'x("4916526018159086", "4242424242424242");' },
          { path: "app.log", content: "pan=4916526018159086" },
        ],
      },
      options,
    );
    expect(result.findings.map((f) => [f.location.path, f.severity])).toEqual([
      ["app.log", "critical"],
      ["src/a.ts", "low"],
      ["src/a.ts", "info"],
    ]);
  });

  it("gives way to track-data-in-source on a track's PAN", async () => {
    const result = await scan(
      { files: [{ path: "a.js", content: 'swipe(";5425824628194820=27091010000087600000?", "4916526018159086");' }] },
      { rules: only(ID, "track-data-in-source") },
    );
    expect(result.findings.map((f) => [f.ruleId, f.location.startColumn])).toEqual([
      ["track-data-in-source", 8],
      [ID, 51],
    ]);
  });
});

describe("card-data scan limits", () => {
  const CARD_RULES = only(ID, "track-data-in-source", "sensitive-auth-data-in-source");

  it("skips over-long lines with one line-too-long notification per file", async () => {
    const long = (name: string) => `const ${name} = "${"x".repeat(300)} 4916526018159086";`;
    const content = ['const a = "5425824628194820";', long("b"), long("c")].join("\n");
    const result = await scan({ files: [{ path: "big.js", content }] }, { rules: CARD_RULES, limits: { maxLineLength: 200 } });
    expect(result.findings.map((f) => f.location.startLine)).toEqual([1]);
    expect(result.notifications.map((n) => [n.code, n.ruleId, n.path, n.line])).toEqual([["line-too-long", ID, "big.js", 2]]);
    expect(result.notifications[0]!.message).toMatch(/^2 lines \(the first is line 2\) are longer than 200 characters/);
  });

  it("stops at maxDetectorCandidates with one detector-budget notification", async () => {
    const content = Array.from({ length: 5 }, () => 'pay("4916526018159086");').join("\n");
    const result = await scan({ files: [{ path: "many.js", content }] }, { rules: CARD_RULES, limits: { maxDetectorCandidates: 2 } });
    expect(result.findings.map((f) => f.location.startLine)).toEqual([1, 2]);
    expect(result.notifications.map((n) => [n.code, n.ruleId])).toEqual([["detector-budget", ID]]);
  });
});
