import rule from "../../../src/engine/rules/insecure-randomness";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const delay = base * 2 ** attempt + Math.random() * 100;`,
    `setTimeout(poll, Math.random() * 1000);`,
    `const jitterMs = Math.floor(Math.random() * 250);`,
    `items.sort(() => Math.random() - 0.5);`,
    `const sessionTimeout = 60000 + Math.random() * 1000;`,
    `const tokenCount = Math.floor(Math.random() * 10);`,
    `const id = Math.random().toString(36).slice(2);`,
    `const requestId = Math.random().toString(36).slice(2);`,
    `const key = Math.random();`,
    `if (Math.random() < sampleRate) report(event);`,
    `const fakeToken = Math.random().toString(36);`,
    // A secret-named function, but the value is a delay.
    `function refreshToken() { return sleep(Math.random() * 500); }`,
    // Callbacks are their own function: the outer name does not leak in.
    `function createSession(ids) { return ids.map(() => Math.random()); }`,
    // Secure generators.
    `const token = crypto.randomBytes(32).toString("hex");`,
    `const otp = crypto.randomInt(0, 1000000);`,
    // Test files are skipped.
    { path: "spec/tokens.spec.js", code: `const token = Math.random().toString(36);` },
  ],
  invalid: [
    {
      code: `const resetToken = Math.random().toString(36).slice(2);`,
      errors: [{ line: 1, column: 20, severity: "high", confidence: "high", message: /secret value `resetToken`/ }],
    },
    {
      code: `user.passwordResetCode = Math.floor(Math.random() * 1e6);`,
      errors: [{ line: 1, column: 37, severity: "high" }],
    },
    {
      code: `function generateOtp() {\n  return String(Math.floor(100000 + Math.random() * 900000));\n}`,
      errors: [{ line: 2, column: 37, severity: "high", confidence: "medium", message: /in function `generateOtp`/ }],
    },
    {
      code: `const makeNonce = () => Math.random().toString(16).slice(2);`,
      errors: [{ line: 1, column: 25, confidence: "medium", message: /`makeNonce`/ }],
    },
    {
      code: `res.cookie("sid", Math.random().toString(36), { httpOnly: true });`,
      errors: [{ line: 1, column: 19, message: /`sid`/ }],
    },
    {
      // Two calls feeding one value give one finding.
      code: `const apiKey = "k_" + Math.random().toString(36) + Math.random().toString(36);`,
      errors: [{ line: 1, column: 23, message: /`apiKey`/ }],
    },
    {
      code: `const payload = { email, verificationCode: Math.random().toString(36).slice(-6) };`,
      errors: [{ line: 1, column: 44, message: /`verificationCode`/ }],
    },
    {
      code: `class Otp {\n  salt = window.Math.random().toString(36);\n}`,
      errors: [{ line: 2, column: 10, message: /`salt`/ }],
    },
    {
      code: `const transactionId = "tx_" + Math.floor(Math.random() * 1e9);`,
      errors: [{ line: 1, column: 42, severity: "medium", confidence: "medium", message: /identifier `transactionId`/ }],
    },
  ],
});
