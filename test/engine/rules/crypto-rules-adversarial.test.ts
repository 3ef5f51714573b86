/**
 * Hostile inputs for the crypto and transport rules: megabyte runs that would make a
 * backtracking regex or a quadratic walk hang. No timing assertions: these must finish inside
 * the test timeout and give sane answers.
 */
import { describe, expect, it } from "vitest";
import cleartextHttpEndpoint from "../../../src/engine/rules/cleartext-http-endpoint";
import deprecatedCreateCipher from "../../../src/engine/rules/deprecated-create-cipher";
import insecureRandomness from "../../../src/engine/rules/insecure-randomness";
import insecureTlsVersion from "../../../src/engine/rules/insecure-tls-version";
import jwtVerificationWeak from "../../../src/engine/rules/jwt-verification-weak";
import tlsVerificationDisabled from "../../../src/engine/rules/tls-verification-disabled";
import unkeyedCardHash from "../../../src/engine/rules/unkeyed-card-hash";
import weakCipher from "../../../src/engine/rules/weak-cipher";
import weakHashAlgorithm from "../../../src/engine/rules/weak-hash-algorithm";
import { runRule } from "./rule-tester";

const MB = 1_000_000;
const RULES = [
  cleartextHttpEndpoint,
  deprecatedCreateCipher,
  insecureRandomness,
  insecureTlsVersion,
  jwtVerificationWeak,
  tlsVerificationDisabled,
  unkeyedCardHash,
  weakCipher,
  weakHashAlgorithm,
];

describe("crypto and transport rules on hostile text", () => {
  const texts: Array<[string, string, string]> = [
    ["1 MB of spaces after NODE_TLS_REJECT_UNAUTHORIZED", ".env", "NODE_TLS_REJECT_UNAUTHORIZED" + " ".repeat(MB)],
    ["NODE_TLS_REJECT_UNAUTHORIZED repeated", "Dockerfile", "NODE_TLS_REJECT_UNAUTHORIZED= ".repeat(MB / 30)],
    ["1 MB of spaces in .npmrc", ".npmrc", " ".repeat(MB) + "strict-ssl"],
    ["--tls-min-v1 repeated", "package.json", "--tls-min-v1".repeat(MB / 12)],
    ["1 MB of digits and separators", "data.txt", "4111-1111 ".repeat(MB / 10)],
  ];
  it.each(texts)("%s", async (_name, path, text) => {
    for (const rule of [tlsVerificationDisabled, insecureTlsVersion]) {
      const findings = await runRule(rule, text, path);
      expect(findings.length).toBeLessThanOrEqual(500);
    }
  });
});

describe("crypto and transport rules on hostile code", () => {
  const codes: Array<[string, string]> = [
    ["a 1 MB http:// string", `fetch("http://${"a".repeat(MB)}");`],
    ["a 1 MB URL-ish name", `const ${"aB".repeat(MB / 2)}Url = "http://api.acme-pay.com";`],
    ["a 1 MB cipher list", `tls.createServer({ ciphers: "${"RC4-SHA:".repeat(MB / 8)}" });`],
    ["many Math.random() calls deep in one expression", `const token = ${"f(Math.random(), ".repeat(1000)}0${")".repeat(1000)};`],
    ["a long update chain", `const crypto = require("crypto");\ncrypto.createHash("md5")${".update(password)".repeat(20_000)}.digest("hex");`],
    ["many if statements after a decode", `const jwt = require("jsonwebtoken");\nconst c = jwt.decode(t);\n${"if (c.role) x();\n".repeat(20_000)}`],
    [
      "deeply nested functions with returns",
      `const jwt = require("jsonwebtoken"); const d = jwt.decode(t);\n${"function f() { return d; ".repeat(400)}${"}".repeat(400)}`,
    ],
    ["1 MB of one character in a string", `const s = "${"m".repeat(MB)}d5";`],
  ];
  it.each(codes)("%s", async (_name, code) => {
    for (const rule of RULES) {
      const findings = await runRule(rule, code, "src/hostile.js");
      expect(findings.length).toBeLessThanOrEqual(500);
    }
  });
});
