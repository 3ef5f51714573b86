/**
 * Masking: the helpers on their own, and the guarantee that matters: a scan of files full of
 * card numbers, in every written form and encoding, outputs none of them unmasked, in findings,
 * snippets, messages or notifications. The PANs below are the ones the card-data fixtures use.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/engine/index";
import { maskCardNumbers, maskPan, maskRanges, maskSecret } from "../../src/engine/mask";

describe("maskPan", () => {
  it.each([
    ["4916526018159086", "491652******9086"],
    ["4916 5260 1815 9086", "491652******9086"],
    ["346723194875746", "346723*****5746"],
    ["6250421809679290817", "625042*********0817"],
    ["4929137215907", "492913***5907"],
    ["1234567890", "**********"],
  ])("%s → %s", (pan, masked) => {
    expect(maskPan(pan)).toBe(masked);
  });
});

describe("maskCardNumbers", () => {
  it.each([
    ["card 4916526018159086 ok", "card 491652******9086 ok"],
    ["card 4916 5260 1815 9086 ok", "card 491652******9086 ok"],
    ["card 4916-5260-1815-9086 ok", "card 491652******9086 ok"],
    ["n = 6445_1147_1049_7461;", "n = 644511******7461;"],
    ["amex 3467 231948 75746", "amex 346723*****5746"],
    ["4916 5260 1815 9086 12/27", "491652******9086 12/27"],
    ["12 4916 5260 1815 9086", "12 491652******9086"],
    [";5425824628194820=27091010000087600000?", ";542582******4820=****"],
    ["%B346723194875746^CUSTOMER/JANE Q^2709101000000123000000?", "%B346723*****5746^****"],
    ["4916526018159087", "4916526018159087"],
    ["74916526018159086123", "74916526018159086123"],
    ["no digits here", "no digits here"],
  ])("%s → %s", (text, masked) => {
    expect(maskCardNumbers(text)).toBe(masked);
  });

  it.each([
    ["dots", "n = 4916.3385.0608.2832;", "n = 491633******2832;"],
    ["slashes", "4916/3385/0608/2832", "491633******2832"],
    ["a file name", "fixtures/4556737586899855.json", "fixtures/455673******9855.json"],
    ["an identifier", "assigned to pan_4916338506082832", "assigned to pan_491633******2832"],
    ["a decimal part after it", "4916338506082832.50", "491633******2832.50"],
    ["an expiry after it", "4916338506082832/12", "491633******2832/12"],
  ])("masks a card number written with %s", (_, text, masked) => {
    expect(maskCardNumbers(text)).toBe(masked);
  });

  // Each digit string below passes Luhn, so only the card-brand test keeps it readable.
  it.each([
    ["a line and column", "src/app.js:4916:33"],
    ["an epoch timestamp in milliseconds", "at 1712345678907"],
    ["a compact timestamp", "20240115103045120"],
    ["an ISO timestamp", "2024-01-15T10:30:45.455Z"],
    ["a dotted version", "v10.15.7.2024.11.39"],
    ["an object identifier", "1.2.840.113549.1.1.13"],
    ["a number that fails Luhn", "4916.3385.0608.2833"],
  ])("leaves %s readable", (_, text) => {
    expect(maskCardNumbers(text)).toBe(text);
  });
});

describe("maskSecret", () => {
  it.each([
    ["sk_live_abcdef123456", "sk_l****************"],
    ["382", "***"],
  ])("%s → %s", (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});

describe("maskRanges", () => {
  it("keeps first six and last four digits of a plain card where it stands", () => {
    expect(maskRanges('x = "4916 5260 1815 9086";', [{ start: 5, end: 24, kind: "pan" }])).toBe('x = "4916 52** **** 9086";');
  });

  it("stars encoded card numbers whole, including hex that is all digits", () => {
    expect(maskRanges("b=NDkxNjUyNjAxODE1OTA4Ng==", [{ start: 2, end: 24, kind: "pan" }])).toBe("b=**********************==");
    const hex = "35343235383234363238313934383230";
    expect(maskRanges(hex, [{ start: 0, end: 32, kind: "pan" }])).toBe("*".repeat(32));
  });

  it("merges overlapping ranges so none is masked piecemeal", () => {
    // A secret range ending inside a card number must not leave the card's middle digits readable.
    const text = "token=abcd4916526018159086";
    const masked = maskRanges(text, [
      { start: 6, end: 14, kind: "secret" },
      { start: 10, end: 26, kind: "pan" },
    ]);
    expect(masked).toBe("token=" + "*".repeat(20));
    expect(
      maskRanges(";5425824628194820=2709?", [
        { start: 1, end: 17, kind: "pan" },
        { start: 0, end: 23, kind: "pan" },
      ]),
    ).toBe("*".repeat(23));
  });
});

// Card numbers the card-data fixtures hold (test cards included), in their digit form.
const FIXTURE_PANS = [
  "4916526018159086",
  "5425824628194820",
  "346723194875746",
  "6011018955597972",
  "4539301661318604",
  "4485913909960304",
  "6445114710497461",
  "3541507529170346",
  "30562366712761",
  "6250421809679290817",
  "5186199351819094",
  "4929137215907",
  "2720378657975434",
  "4242424242424242",
  "5555555555554444",
  "378282246310005",
  "6011111111111117",
  "4000000000000002",
  "4000000000009995",
  "4111111111111111",
  "4012888888881881",
  "5105105105105100",
  "2223003122003222",
  "5500000000000004",
  // Every other brand length (issuer-routing.ts): 13, 14, 15, 17, 18, 19 and 12 digits.
  "4024830517294",
  "36018305172942",
  "378983051729466",
  "62718305172946382",
  "356983051729463851",
  "6011830517294638507",
  "502083051727",
];

/** The ways a PAN could leak: digits, groups of four (or Amex 4-6-5), the encodings the detector reads, and its integer in hex. */
function leakForms(pan: string): string[] {
  const groups = pan.length === 15 ? [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)] : pan.match(/.{1,4}/g)!;
  const bytes = Buffer.from(pan, "ascii");
  return [
    pan,
    groups.join(" "),
    groups.join("-"),
    groups.join("_"),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
    [...bytes].map((b) => `%${b.toString(16).toUpperCase()}`).join(""),
    [...bytes].map((b) => `&#${b};`).join(""),
    [...bytes].map((b) => `\\x${b.toString(16)}`).join(""),
    `0x${BigInt(pan).toString(16)}`,
  ];
}

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures");
const CARD_DATA_DIRS = ["card-number-in-source", "track-data-in-source", "sensitive-auth-data-in-source"];

describe("a scan of the card-data fixtures", async () => {
  const files = CARD_DATA_DIRS.flatMap((dir) =>
    readdirSync(path.join(FIXTURES, dir)).map((name) => ({ path: `${dir}/${name}`, content: readFileSync(path.join(FIXTURES, dir, name), "utf8") })),
  );
  const result = await scan({ files });
  const output = JSON.stringify(result);

  it.each(FIXTURE_PANS)("never outputs %s unmasked, in any form", (pan) => {
    expect(files.some((f) => leakForms(pan).some((form) => f.content.includes(form)))).toBe(true);
    expect(result.findings.some((f) => f.message.includes(maskPan(pan)))).toBe(true);
    for (const form of leakForms(pan)) expect(output).not.toContain(form);
  });

  it("masks CVV and PIN values in snippets", () => {
    // As they appear inside the JSON output (quotes escaped).
    const sad = result.findings.filter((f) => f.ruleId === "sensitive-auth-data-in-source");
    expect(sad.length).toBeGreaterThan(5);
    for (const value of [
      'cvv: \\"382\\"',
      '\\"cvc\\": \\"4417\\"',
      "securityCode: 907",
      'pin: \\"4821\\"',
      "0412AC89ABCDEF12",
      "2026, '519'",
      "cvv=551",
      'value=\\"606\\"',
      "cvv: 190",
    ]) {
      expect(output).not.toContain(value);
    }
    for (const masked of ['cvv: \\"***\\"', "securityCode: ***", 'pinBlock: \\"0412************\\"', "cvv=***"]) expect(output).toContain(masked);
  });

  it("masks every track in snippets", () => {
    for (const track of ["=27091010000087600000", "^HOLMES/SHERLOCK^", "D27102010000012345678F", "=28021010000099900000"]) {
      expect(output).not.toContain(track);
    }
  });
});

describe("snippets of findings on one long line", () => {
  const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  // A signed token longer than the snippet window, then card numbers after it on the same line.
  const jwt = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: "u1", scope: "a".repeat(3_000) })}.${"Q7vXk2mP9sLr4TnW8yBz1cFh6dJq3gKe5aUo0iZxYtV"}`;
  const cards = Array.from({ length: 2_000 }, () => '"4916338506082832"').join(", ");
  const line = `const t = "${jwt}", cards = [${cards}];\n`;

  it("masks every redaction that reaches into each window, the long ones that start before it too", async () => {
    const result = await scan({ files: [{ path: "src/tokens.js", content: line }] });
    const snippets = result.findings.map((f) => f.snippet);
    expect(result.findings.filter((f) => f.ruleId === "hardcoded-api-key")).toHaveLength(1);
    expect(result.findings.filter((f) => f.ruleId === "card-number-in-source").length).toBeGreaterThan(100);
    // The first card's window reaches back into the token's tail, thousands of characters past its start.
    expect(snippets.some((s) => s.includes("*".repeat(40) + '", cards = ["491633******2832"'))).toBe(true);
    for (const s of snippets) {
      expect(s).not.toContain("4916338506082832");
      expect(s).not.toContain(jwt.slice(-40, -20));
    }
  });

  it("masks a key the snippet window cuts through, though no rule reported it", async () => {
    // A live-key shape whose body reads as a placeholder: no rule reports it, so no redaction covers it.
    const key = "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr";
    // The gap slides the key across the left edge of the window kept around the finding.
    for (let gap = 10; gap <= 70; gap += 2) {
      const line = `/* ${"y".repeat(300)} ${key} ${"z".repeat(gap)} */ const password = "Tr0ub4dor&3x"; /* ${"w".repeat(400)} */\n`;
      const { findings } = await scan({ files: [{ path: "src/a.js", content: line }] });
      const snippet = findings.find((f) => f.ruleId === "hardcoded-secret")!.snippet;
      for (let i = 0; i + 8 <= key.length - 8; i++) expect(snippet, `gap ${gap}`).not.toContain(key.slice(8 + i, 16 + i));
    }
  });
});
