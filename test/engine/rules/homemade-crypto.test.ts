import rule from "../../../src/engine/rules/homemade-crypto";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // A string hash XORs character codes but is no cipher.
    `function hashCode(s) { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31) ^ s.charCodeAt(i); return h | 0; }`,
    // A real block cipher: XOR of words and table lookups, no character codes.
    `function encryptBlock(state, roundKey) { for (let i = 0; i < 16; i++) state[i] ^= roundKey[i]; return state; }`,
    // A wrapper around a real cipher that also masks a byte.
    `function encrypt(text, key) {\n  const iv = crypto.randomBytes(12);\n  const check = text.charCodeAt(0) ^ 0x5a;\n  return crypto.createCipheriv("aes-256-gcm", key, iv).update(text);\n}`,
    // Encoders are not named as encryption.
    `function toBase32(s) { return [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 1)).join(""); }`,
    { path: "src/__tests__/xor.test.js", code: `function encrypt(s, k) { return s.charCodeAt(0) ^ k.charCodeAt(0); }` },
  ],
  invalid: [
    {
      code: `function encryptCard(pan, key) {\n  let out = "";\n  for (let i = 0; i < pan.length; i++) out += String.fromCharCode(pan.charCodeAt(i) ^ key.charCodeAt(i % key.length));\n  return out;\n}`,
      errors: [{ line: 3, column: 67, severity: "high", message: /encryptCard\(\) "encrypts" by XOR-ing character codes/ }],
    },
    {
      code: `export const obfuscateToken = (token: string, secret: number[]) =>\n  Array.from(token, (ch, i) => ch.codePointAt(0)! ^ secret[i % secret.length]);`,
      errors: [{ line: 2, column: 32, message: /obfuscateToken\(\)/ }],
    },
    {
      code: `class Vault {\n  decrypt(data, key) {\n    const bytes = Buffer.from(data, "base64");\n    for (let i = 0; i < bytes.length; i++) bytes[i] ^= key[i % key.length];\n    return bytes.toString();\n  }\n}`,
      errors: [{ line: 4, column: 44, message: /decrypt\(\)/ }],
    },
    {
      code: `const caesarCipher = (s, shift) => s.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + shift) % 26) + 97));`,
      errors: [{ line: 1, column: 63, message: /caesarCipher\(\) "encrypts" by shifting/ }],
    },
  ],
});
