/**
 * Hostile inputs for the password, key, cookie, CORS and server-hygiene rules: long runs and
 * deep nesting that would make a backtracking regex, a quadratic rescan of function bodies or
 * an unbounded walk hang. No timing assertions: these must finish inside the test timeout and
 * give sane answers.
 */
import { describe, expect, it } from "vitest";
import cleartextHttpServer from "../../../src/engine/rules/cleartext-http-server";
import corsCredentialsAnyOrigin from "../../../src/engine/rules/cors-credentials-any-origin";
import homemadeCrypto from "../../../src/engine/rules/homemade-crypto";
import insecureBrowserSettings from "../../../src/engine/rules/insecure-browser-settings";
import insecureCookie from "../../../src/engine/rules/insecure-cookie";
import plaintextPassword from "../../../src/engine/rules/plaintext-password";
import staticIv from "../../../src/engine/rules/static-iv";
import weakPasswordHash from "../../../src/engine/rules/weak-password-hash";
import { runRule } from "./rule-tester";

const MB = 1_000_000;
const RULES = [
  cleartextHttpServer,
  corsCredentialsAnyOrigin,
  homemadeCrypto,
  insecureBrowserSettings,
  insecureCookie,
  plaintextPassword,
  staticIv,
  weakPasswordHash,
];

describe("hygiene rules on hostile code", () => {
  const codes: Array<[string, string]> = [
    ["a 1 MB Set-Cookie value", `res.setHeader("Set-Cookie", "sid=" + id + "; ${"Path=/; ".repeat(MB / 8)}");`],
    ["a Set-Cookie template with thousands of holes", `res.setHeader("Set-Cookie", \`sid=\${id}${"; Max-Age=${t}".repeat(5_000)}\`);`],
    [
      "a 1 MB origin check",
      `app.use((req, res) => { if (origin.includes("${"a".repeat(MB)}")) res.setHeader("Access-Control-Allow-Origin", req.headers.origin); });\nres.setHeader("Access-Control-Allow-Credentials", "true");`,
    ],
    [
      "a 1 MB regex tested on the origin",
      `const ok = /${"\\\\.".repeat(MB / 4)}/.test(origin);\nres.setHeader("Access-Control-Allow-Origin", req.headers.origin);\n"Access-Control-Allow-Credentials": "true"`,
    ],
    [
      "20,000 password assignments in one handler",
      `app.post("/r", async (req, res) => {\n${"  user.password = req.body.password;\n".repeat(20_000)}  await user.save();\n});`,
    ],
    ["400 nested functions with password parameters", `${"function f(password) { if (user.password === password) g(); ".repeat(400)}${"}".repeat(400)}`],
    ["a deep XOR chain in an encrypt function", `function encrypt(s, k) { return ${"s.charCodeAt(0) ^ ".repeat(5_000)}k.charCodeAt(0 % k.length); }`],
    [
      "1 MB of card-like words and a listen",
      `const express = require("express");\nconst app = express();\nconst ${"cardcardcard".repeat(MB / 12)} = 1;\napp.listen(80);`,
    ],
    [
      "many createCipheriv calls with constant IVs",
      `const crypto = require("crypto");\nconst IV = Buffer.alloc(16);\n${"crypto.createCipheriv('aes-256-cbc', key, IV);\n".repeat(5_000)}`,
    ],
    ["a long arithmetic chain as a bcrypt cost", `const bcrypt = require("bcrypt");\nbcrypt.hash(pw, ${"1 + ".repeat(5_000)}1);`],
    ["a 1 MB browser args array", `puppeteer.launch({ args: [${'"--disable-web-security", '.repeat(MB / 26)}] });`],
  ];
  it.each(codes)("%s", async (_name, code) => {
    for (const rule of RULES) {
      const findings = await runRule(rule, code, "src/hostile.js");
      expect(findings.length).toBeLessThanOrEqual(5_000);
    }
  });
});
