import rule from "../../../src/engine/rules/deprecated-create-cipher";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const crypto = require("crypto");\ncrypto.createCipheriv("aes-256-cbc", key, iv);`,
    // node-forge's createCipher takes a key and an explicit IV.
    `const forge = require("node-forge");\nforge.cipher.createCipher("AES-CBC", key);`,
    `import forge from "node-forge";\nconst { createCipher } = forge.cipher;\ncreateCipher("AES-CBC", key);`,
    // Another object's method of the same name.
    `this.vault.createCipher("aes-256-cbc", password);`,
  ],
  invalid: [
    {
      code: `const crypto = require("crypto");\nconst c = crypto.createCipher("aes-256-cbc", password);`,
      errors: [{ line: 2, column: 11, severity: "medium", message: /fixed IV/ }],
    },
    {
      code: `import { createDecipher } from "node:crypto";\nconst d = createDecipher("aes192", password);`,
      errors: [{ line: 2, column: 11, severity: "medium" }],
    },
    {
      code: `const crypto = require("crypto");\nconst ALG = "aes-256-ctr";\nconst c = crypto.createCipher(ALG, password);`,
      errors: [{ line: 3, column: 11, severity: "high", message: /reuses its keystream/ }],
    },
    {
      // The global `crypto` in old Node scripts without a require.
      code: `const c = crypto.createCipher("aes-128-gcm", pw);`,
      errors: [{ line: 1, column: 11, severity: "high" }],
    },
  ],
});
