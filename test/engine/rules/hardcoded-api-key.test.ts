/**
 * hardcoded-api-key: valid / invalid tables (rule id, line, column, severity), the tags that
 * tell test keys apart, precedence over hardcoded-secret, and the scan-limit notifications.
 */
import { describe, expect, it } from "vitest";
import { RULES, scan, type ScanOptions } from "../../../src/engine/index";
import rule from "../../../src/engine/rules/hardcoded-api-key";
import { ruleCases, runRule } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Publishable keys are public by design.
    'const stripe = loadStripe("pk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ");',
    // Placeholders and documentation values.
    'const key = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx";',
    'const id = "AKIAIOSFODNN7EXAMPLE";',
    'const hook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";',
    'const sample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";',
    // Environment look-ups, prefixes and prose.
    "const key = env.STRIPE_SECRET_KEY;",
    'const isLive = key.startsWith("sk_live_");',
    'const help = "GitHub tokens start with ghp_ and have 40 characters";',
    // An identifier, not a secret: the Twilio account SID alone.
    'const sid = "AC36cdf005c2fa0a60b49db5f6dea844bc";',
    // A prefix inside a longer token.
    'const sku = "XSKe291dfca5aeff31de0d39e5448a09ddd";',
    { code: "STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n", path: ".env" },
  ],
  invalid: [
    {
      code: 'const stripe = new Stripe("sk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ");',
      errors: [{ line: 1, column: 28, severity: "critical", message: /^Hard-coded Stripe live secret key \(sk_l\*{4}\)\.$/ }],
    },
    {
      code: "STRIPE_KEY=sk_test_51NPHSMA6ADxQqfxErorHJ2B4kLQ4ABfkufG\n",
      path: ".env",
      errors: [{ line: 1, column: 12, severity: "low", message: /^Hard-coded Stripe test secret key \(sk_t\*{4}\); test keys reach no real money/ }],
    },
    {
      code: "[prod]\naws_access_key_id = AKIAEMZPJOM4TMNIR467\naws_secret_access_key = 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\n",
      path: "aws/credentials",
      errors: [
        { line: 2, column: 21, severity: "high", message: /AWS access key ID \(AKIA\*{4}\)/ },
        { line: 3, column: 25, severity: "critical", message: /AWS secret access key \(pWI7\*{4}\)/ },
      ],
    },
    {
      // The secret key has no name here: it is found next to its key id.
      code: 'const creds = ["AKIAEMZPJOM4TMNIR467", "pWI7FsJQF22rVug8603i3+HJliTU9P5mubS+XEqW"];',
      errors: [
        { line: 1, column: 17, severity: "high" },
        { line: 1, column: 41, severity: "critical" },
      ],
    },
    {
      code: 'const c = { secretAccessKey: "wo2G75if8gLOLueBkmxAk7CiqH7bLe1HKUz/DdmQ" };',
      errors: [{ line: 1, column: 31, severity: "critical" }],
    },
    {
      code: "#!/bin/sh\ngit remote set-url origin https://x-access-token:ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8@github.com/acme/payments.git\n",
      path: "scripts/release.sh",
      errors: [{ line: 2, column: 50, severity: "high", message: /GitHub token \(ghp_\*{4}\)/ }],
    },
    {
      code: 'module.exports = {\n  slack: "xoxb-34587431553-33974768526-igwzmBR9EP5wkii9oopqypo6", maps: "AIza4f5mnkbwrZ25q2mBdEPy4KAkTRT_mrUmBjx",\n};',
      path: "config.js",
      errors: [
        { line: 2, column: 11, severity: "high", message: /Slack token/ },
        { line: 2, column: 74, severity: "medium", message: /Google API key/ },
      ],
    },
    {
      code: 'const gw = new BraintreeGateway({ accessToken: "access_token$production$3vtlzgshev8ophou$dda00deb46becf877fcb4524f4a459e6" });',
      errors: [{ line: 1, column: 49, severity: "critical", message: /Braintree production access token/ }],
    },
    {
      code: "INSERT INTO api_keys (name, secret) VALUES\n  ('ci', 'pca_test_HBfmFK7EKH7VD28Gi3EEWL5UvCNJEyabCfW61jpHTOZ'),\n  ('prod', 'pca_live_iRunsuDo6CMrMfL0tNO1GgprQ5TvZR2wTP8Ba8RdxYo');\n",
      path: "seed.sql",
      errors: [
        { line: 2, column: 11, severity: "low", message: /PCI Auditor test API key/ },
        { line: 3, column: 13, severity: "critical", message: /PCI Auditor live API key/ },
      ],
    },
    {
      code: 'const SETTLEMENT_TOKEN =\n  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtc2V0dGxlbWVudCIsInNjb3BlIjoicGF5bWVudHM6d3JpdGUiLCJpYXQiOjE3MzEwMDAwMDB9.G0xqW5qb-7tdVJmiwtVYFygojsnyZcrmVlsiecMOT8M";',
      errors: [{ line: 2, column: 4, severity: "medium", confidence: "medium", message: /signed JSON Web Token/ }],
    },
  ],
});

function only(...ids: string[]): ScanOptions["rules"] {
  return Object.fromEntries(RULES.map((r) => [r.id, ids.includes(r.id) ? "on" : "off"]));
}

describe("hardcoded-api-key details", () => {
  it("tags findings with the key type, and test keys as test-key", async () => {
    const [live, test] = await runRule(
      rule,
      'const a = "sk_live_51N9ea7SMaIBs9VDCTvipzAHSMbqW87KHpmQ";\nconst b = "sk_test_51NPHSMA6ADxQqfxErorHJ2B4kLQ4ABfkufG";',
    );
    expect(live!.tags).toEqual(["security", "secret", "stripe-secret-key"]);
    expect(test!.tags).toEqual(["security", "secret", "stripe-secret-key", "test-key"]);
  });

  it("replaces a hardcoded-secret finding on the same value", async () => {
    const content = "AWS_SECRET_ACCESS_KEY=pWI7FsJQF22rVug8603i3+HJliTU9P5mubS+XEqW\n";
    const both = await scan({ files: [{ path: ".env", content }] }, { rules: only("hardcoded-api-key", "hardcoded-secret") });
    expect(both.findings.map((f) => f.ruleId)).toEqual(["hardcoded-api-key"]);
    const generic = await scan({ files: [{ path: ".env", content }] }, { rules: only("hardcoded-secret") });
    expect(generic.findings.map((f) => f.ruleId)).toEqual(["hardcoded-secret"]);
  });

  it("notes lines too long to search and a spent candidate budget", async () => {
    const long = `window.__BUNDLE__="${"x".repeat(300)}";\nconst k = "ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8";\n`;
    const r1 = await scan({ files: [{ path: "bundle.js", content: long }] }, { rules: only("hardcoded-api-key"), limits: { maxLineLength: 200 } });
    expect(r1.findings.map((f) => f.location.startLine)).toEqual([2]);
    expect(r1.notifications.map((n) => [n.code, n.ruleId, n.line])).toEqual([["line-too-long", "hardcoded-api-key", 1]]);
    const many = 'k = "ghp_FJVzsAgwyJrXRynkNom8OiSbvj84GGgjYbg8"\n'.repeat(4);
    const r2 = await scan({ files: [{ path: "keys.txt", content: many }] }, { rules: only("hardcoded-api-key"), limits: { maxDetectorCandidates: 2 } });
    expect(r2.findings).toHaveLength(2);
    expect(r2.notifications.map((n) => [n.code, n.ruleId])).toEqual([["detector-budget", "hardcoded-api-key"]]);
  });
});
