/**
 * track-data-in-source: Track 1 / Track 2 (with and without sentinels, EMV tag 57 form) as
 * valid / invalid tables with rule id, line, column, severity and message; masking of the whole
 * track in snippets.
 */
import { describe, expect, it } from "vitest";
import { RULES, scan, type Finding } from "../../../src/engine/index";

const ID = "track-data-in-source";
const ONLY = Object.fromEntries(RULES.map((r) => [r.id, r.id === ID ? "on" : "off"] as const));

async function findings(code: string, path = "src/reader.ts"): Promise<Finding[]> {
  const result = await scan({ files: [{ path, content: code }] }, { rules: ONLY });
  expect(result.notifications).toEqual([]);
  return result.findings;
}

const INVALID: Array<{ code: string; path?: string; line: number; column: number; severity: Finding["severity"]; message: RegExp; tags?: string[] }> = [
  {
    code: 'const swipe = "%B4916526018159086^HOLMES/SHERLOCK^2709101000000876000000?";',
    line: 1,
    column: 16,
    severity: "critical",
    message: /^Track 1 magnetic-stripe data for Visa card 491652\*{6}9086: .*PCI DSS 3\.3\.1\.1/,
  },
  {
    code: "// last swipe:\n// ;5425824628194820=27091010000087600000?\n",
    line: 2,
    column: 4,
    severity: "critical",
    message: /^Track 2 magnetic-stripe data for Mastercard card 542582\*{6}4820: /,
  },
  {
    code: 'const raw = "B346723194875746^WATSON/JOHN H.^2612201000000000123000";',
    line: 1,
    column: 14,
    severity: "critical",
    message: /^Track 1 magnetic-stripe data for American Express card 346723\*{5}5746/,
  },
  {
    code: 'const tag57 = "4485913909960304D27102010000012345678F";',
    line: 1,
    column: 16,
    severity: "critical",
    message: /^Track 2 magnetic-stripe data for Visa card 448591\*{6}0304/,
  },
  {
    code: "17:01:09 TRACE reader.track2 data=;5186199351819094=28021010000099900000?\n",
    path: "var/log/reader.log",
    line: 1,
    column: 35,
    severity: "critical",
    message: / in a log file: /,
    tags: ["log"],
  },
  {
    code: 'const sandbox = ";4111111111111111=30121010000000000000?";',
    line: 1,
    column: 18,
    severity: "info",
    message: /^Track 2 magnetic-stripe data for the published test Visa card 411111\*{6}1111 \(PayPal, Adyen\); not cardholder data/,
    tags: ["test-card"],
  },
];

const VALID = [
  "const TRACK1 = /^%B(\\d{1,19})\\^([^^]{2,26})\\^(\\d{4})(\\d{3})([^?]*)\\?/;",
  'const masked = "%B491652******9086^HOLMES/SHERLOCK^2709?";',
  'const format = "%B%s^%s^%s%s?";',
  'const url = "/pos/checkout;jsessionid=8C3F2B1A9D0E4F5A?lane=3";',
  'const noBrand = ";1234567890123456=27091010000087600000?";',
  'const badMonth = ";4916526018159086=27131010000087600000?";',
  'const badLuhn = ";4916526018159087=27091010000087600000?";',
  'const pair = "4916526018159086=2709";',
];

describe(ID, () => {
  it.each(INVALID.map((c) => [c.code.slice(0, 70), c] as const))("reports %s", async (_name, c) => {
    const found = await findings(c.code, c.path);
    expect(found.map((f) => ({ ruleId: f.ruleId, line: f.location.startLine, column: f.location.startColumn, severity: f.severity }))).toEqual([
      { ruleId: ID, line: c.line, column: c.column, severity: c.severity },
    ]);
    expect(found[0]!.message).toMatch(c.message);
    for (const tag of c.tags ?? []) expect(found[0]!.tags).toContain(tag);
    expect(found[0]!.pci).toEqual(["3.3.1.1"]);
  });

  it.each(VALID)("stays quiet on %s", async (code) => {
    expect(await findings(code)).toEqual([]);
  });

  it("masks the whole track in the snippet", async () => {
    const [f] = await findings('reader.emit(";5425824628194820=27091010000087600000?");');
    expect(f!.snippet).toBe(`reader.emit("${"*".repeat(39)}");`);
  });
});
