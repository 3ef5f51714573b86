import rule from "../../../src/engine/rules/static-iv";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const crypto = require("crypto");\nfunction enc(key, text) {\n  const iv = crypto.randomBytes(12);\n  return crypto.createCipheriv("aes-256-gcm", key, iv);\n}`,
    // The IV is the caller's: a parameter.
    `const crypto = require("crypto");\nfunction enc(key, iv) { return crypto.createCipheriv("aes-256-cbc", key, iv); }`,
    // Decryption reads the IV stored with the ciphertext.
    `const crypto = require("crypto");\nconst d = crypto.createDecipheriv("aes-256-cbc", key, Buffer.alloc(16));`,
    // ECB takes no IV (weak-cipher's finding).
    `const crypto = require("crypto");\ncrypto.createCipheriv("aes-128-ecb", key, Buffer.alloc(0));`,
    `const crypto = require("crypto");\ncrypto.createCipheriv("aes-128-ecb", key, null);`,
    // A module-level name given a fresh value before each use.
    `const crypto = require("crypto");\nlet iv = Buffer.alloc(16);\nfunction enc(key) { iv = crypto.randomBytes(16); return crypto.createCipheriv("aes-256-cbc", key, iv); }`,
    `const iv = crypto.getRandomValues(new Uint8Array(12));\nawait crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, data);`.replace(
      "const iv",
      "async function f() { const iv",
    ) + " }",
    `const forge = require("node-forge");\nfunction seal(key, data) {\n  const iv = forge.random.getBytesSync(16);\n  const cipher = forge.cipher.createCipher("AES-CBC", key);\n  cipher.start({ iv });\n}`,
    // Not a cipher this rule knows.
    `other.createCipheriv("aes-256-cbc", key, Buffer.alloc(16));`,
    { path: "test/crypto.test.js", code: `const crypto = require("crypto");\ncrypto.createCipheriv("aes-256-cbc", key, Buffer.alloc(16));` },
  ],
  invalid: [
    {
      code: `const crypto = require("crypto");\nconst c = crypto.createCipheriv("aes-256-cbc", key, Buffer.alloc(16));`,
      errors: [{ line: 2, column: 53, severity: "medium", message: /Buffer\.alloc\(16\), the same bytes every time: equal plaintexts/ }],
    },
    {
      code: `import { createCipheriv, randomBytes } from "node:crypto";\nconst NONCE = randomBytes(12);\nexport function seal(key, pan) {\n  return createCipheriv("aes-256-gcm", key, NONCE).update(pan);\n}`,
      errors: [{ line: 4, column: 45, severity: "high", message: /made once at module load/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst IV = "a1b2c3d4e5f60718";\nconst c = crypto.createCipheriv("aes-128-ctr", key, Buffer.from(IV, "utf8"));`,
      errors: [{ line: 3, column: 53, severity: "high", message: /\(`IV`\) is a string literal/ }],
    },
    {
      code: `const crypto = require("crypto");\nfunction enc(key, text) {\n  const iv = key.subarray(0, 16);\n  return crypto.createCipheriv("aes-256-cbc", key, iv);\n}`,
      errors: [{ line: 4, column: 52, message: /is the key itself/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst c = crypto.createCipheriv("aes-256-gcm", key, Buffer.from(process.env.ENCRYPTION_IV, "hex"));`,
      errors: [{ line: 2, column: 53, severity: "high", confidence: "medium", message: /read from configuration \(ENCRYPTION_IV\)/ }],
    },
    {
      code: `const ZERO_IV = new Uint8Array(12);\nasync function seal(key, data) {\n  return crypto.subtle.encrypt({ name: "AES-GCM", iv: ZERO_IV }, key, data);\n}`,
      errors: [{ line: 3, column: 55, severity: "high", message: /zero-filled Uint8Array\(12\)/ }],
    },
    {
      code: `const CryptoJS = require("crypto-js");\nconst out = CryptoJS.AES.encrypt(pan, key, { iv: CryptoJS.enc.Hex.parse("00000000000000000000000000000000") });`,
      errors: [{ line: 2, column: 50, message: /string literal/ }],
    },
    {
      code: `const forge = require("node-forge");\nconst cipher = forge.cipher.createCipher("AES-CBC", key);\ncipher.start({ iv: forge.util.hexToBytes("000102030405060708090a0b0c0d0e0f") });`,
      errors: [{ line: 3, column: 20, severity: "medium", message: /passed to forge cipher\.start is a string literal/ }],
    },
  ],
});
