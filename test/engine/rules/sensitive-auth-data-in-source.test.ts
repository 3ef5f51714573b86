/**
 * sensitive-auth-data-in-source: CVV/CVC and PIN values next to card data, in code, config,
 * logs, HTML and SQL rows, as valid / invalid tables with rule id, line, column, severity and
 * message; the values are masked in snippets.
 */
import { describe, expect, it } from "vitest";
import { RULES, scan, type Finding } from "../../../src/engine/index";

const ID = "sensitive-auth-data-in-source";
const ONLY = Object.fromEntries(RULES.map((r) => [r.id, r.id === ID ? "on" : "off"] as const));

async function findings(code: string, path = "src/checkout.js"): Promise<Finding[]> {
  const result = await scan({ files: [{ path, content: code }] }, { rules: ONLY });
  expect(result.notifications.filter((n) => n.code === "rule-error")).toEqual([]);
  return result.findings;
}

interface Invalid {
  code: string;
  path?: string;
  errors: Array<{ line: number; column: number; severity: Finding["severity"]; message: RegExp; tags?: string[]; confidence?: Finding["confidence"] }>;
}

const NEXT_TO_VISA =
  /^Card verification code \(CVV\/CVC\/CID\) value next to Visa card number 491652\*{6}9086: it must never be stored after authorization, even encrypted \(PCI DSS 3\.3\.1\.2\)\.$/;

const INVALID: Invalid[] = [
  {
    code: 'const card = {\n  number: "4916526018159086",\n  cvv: "382",\n};',
    errors: [{ line: 3, column: 3, severity: "critical", message: NEXT_TO_VISA, tags: ["cvv"], confidence: "high" }],
  },
  {
    code: '{"pan": "4916 5260 1815 9086", "cvc":"4417"}',
    path: "fixtures/card.json",
    errors: [{ line: 1, column: 33, severity: "critical", message: NEXT_TO_VISA }],
  },
  {
    code: 'const atm = { card: "4916526018159086", pin: 4821, pinBlock: "0412AC89ABCDEF12" };',
    errors: [
      {
        line: 1,
        column: 41,
        severity: "critical",
        message: /^PIN or PIN block value next to Visa card number 491652\*{6}9086: .*\(PCI DSS 3\.3\.1\.3\)\.$/,
        tags: ["pin"],
      },
      { line: 1, column: 52, severity: "critical", message: /^PIN or PIN block value next to Visa / },
    ],
  },
  {
    code: "const retry = {\n  cardNumber: process.env.CARD,\n  securityCode: 907,\n};",
    errors: [
      {
        line: 3,
        column: 3,
        severity: "critical",
        confidence: "medium",
        message: /^Card verification code \(CVV\/CVC\/CID\) value in a record with card fields \(cardNumber\): /,
      },
    ],
  },
  {
    code: "card:\n  number: 4916526018159086\n  exp: 09/27\n  cvv: 190\n",
    path: "config/wallet.yaml",
    errors: [{ line: 4, column: 3, severity: "critical", message: NEXT_TO_VISA }],
  },
  {
    code: "DEBUG request card=4916526018159086&exp=0927\nDEBUG extra cvv=551 avs=94107\n",
    path: "gateway.log",
    errors: [{ line: 2, column: 13, severity: "critical", message: NEXT_TO_VISA, tags: ["log"] }],
  },
  {
    code: '<input name="card_number" value="4916 5260 1815 9086">\n<input name="cvv" value="606">',
    path: "form.html",
    errors: [{ line: 2, column: 14, severity: "critical", message: NEXT_TO_VISA }],
  },
  {
    code: "<card><pan>4916526018159086</pan><cvv>382</cvv></card>",
    path: "dump.xml",
    errors: [{ line: 1, column: 35, severity: "critical", message: NEXT_TO_VISA }],
  },
  {
    code: 'stripe.tokens.create({ card: { number: "4242424242424242", cvc: "123" } });',
    errors: [
      {
        line: 1,
        column: 60,
        severity: "info",
        tags: ["test-card"],
        message: /^Card verification code \(CVV\/CVC\/CID\) value next to the published test Visa card number 424242\*{6}4242; test data/,
      },
    ],
  },
  {
    code: "INSERT INTO payment_cards (id, card_number, cvv) VALUES (1, '4916526018159086', '519'), (2, NULL, 771);",
    path: "db/seed.sql",
    errors: [
      { line: 1, column: 81, severity: "critical", message: NEXT_TO_VISA },
      { line: 1, column: 99, severity: "critical", confidence: "medium", message: /in a record with card fields \(card_number\)/ },
    ],
  },
  {
    code: "await db.query(\"INSERT INTO cards (pan, cvv2) VALUES ('4916526018159086', '208')\");",
    errors: [{ line: 1, column: 75, severity: "critical", message: NEXT_TO_VISA }],
  },
  {
    code: "UPDATE cards SET cvv = '208' WHERE card_number = '4916526018159086';",
    path: "fix.sql",
    errors: [{ line: 1, column: 18, severity: "critical", message: NEXT_TO_VISA }],
  },
];

const VALID: Array<{ code: string; path?: string }> = [
  { code: 'const card = { number: "4916526018159086", cvvLength: 3, pinRequired: true };' },
  { code: 'const card = { number: "4916526018159086", cvv: req.body.cvv, pin: input.pin };' },
  { code: 'const card = { number: "4916526018159086" };\nif (card.cvv === "000") throw new Error("placeholder");' },
  { code: 'const card = { number: "4916526018159086" };\nif (cvv >= 100 && pin != 1234 && cvv2 <= 999) ok();' },
  { code: 'const card = { number: "4916526018159086", cvv: "382abc", pin: 1234.5, cid: x123 };' },
  { code: 'const card = { number: "4916526018159086", cvv: "***", pin: "****" };' },
  { code: 'const card = { number: "4916526018159086", cvc_check: "pass", cvv_result: "M", pinned: true };' },
  { code: 'const address = { cardNumber: x, pin_code: "560001" };' },
  { code: 'const card = { number: "4916526018159086", cvv: "12345" };' },
  { code: 'const device = { serial: "A1", pin: "1234" };' },
  { code: 'const config = { cvv: "123" };' },
  { code: 'const card = { number: "4916526018159086" };\n\n\n\n\n\n\nconst other = { cvv: "123" };' },
  { code: "INSERT INTO devices (id, pin) VALUES (9, '1234');", path: "seed.sql" },
  { code: "INSERT INTO payment_cards (id, card_number, cvv_result) VALUES (4, '491652******9086', 'M');", path: "seed.sql" },
  { code: '<input name="card_number"><input name="cvv" maxlength="4">', path: "form.html" },
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
    });
  });

  it.each(VALID.map((c) => [c.code.replace(/\s+/g, " ").slice(0, 80), c] as const))("stays quiet on %s", async (_name, c) => {
    expect(await findings(c.code, c.path)).toEqual([]);
  });

  it("masks the value in the snippet", async () => {
    const [f] = await findings('const c = { pan: "4916526018159086", cvv: "382", pinBlock: "0412AC89ABCDEF12" };');
    expect(f!.snippet).toBe('const c = { pan: "491652******9086", cvv: "***", pinBlock: "0412************" };');
  });
});

describe(`${ID}: adversarial inputs finish and stay sane`, () => {
  const repeat = (unit: string) => unit.repeat(Math.floor(999_000 / unit.length));
  const ALL_CARD_RULES = Object.fromEntries(
    RULES.map((r) => [r.id, ["card-number-in-source", "track-data-in-source", ID].includes(r.id) ? "on" : "off"] as const),
  );

  it.each([
    ["CVV values without card data", repeat("cvv: 123\n"), 0],
    ["HTML values without a tag", repeat(' value="123"'), 0],
    ["digits", repeat("0123456789"), 0],
  ])("1 MB of %s", async (_name, content, expected) => {
    const result = await scan({ files: [{ path: "big.txt", content }] }, { rules: ALL_CARD_RULES, limits: { maxLineLength: 2_000_000 } });
    expect(result.findings.filter((f) => f.ruleId === ID)).toHaveLength(expected);
  });

  it("1 MB of key-value soup on one line is skipped under the default line limit", async () => {
    const result = await scan({ files: [{ path: "big.txt", content: repeat("pin=1234&cvv=12345&cardNumber=") }] }, { rules: ALL_CARD_RULES });
    expect(result.findings).toEqual([]);
    expect(result.notifications.map((n) => n.code)).toEqual(["line-too-long"]);
  });

  it("1 MB of CVVs next to a card field stops at the candidate budget", async () => {
    const result = await scan(
      { files: [{ path: "big.yaml", content: repeat("cardNumber: x\ncvv: 123\n") }] },
      { rules: ALL_CARD_RULES, limits: { maxDetectorCandidates: 1000 } },
    );
    expect(result.findings.length).toBe(500);
    expect(result.notifications.map((n) => n.code).sort()).toEqual(["detector-budget", "finding-cap"]);
  });
});
