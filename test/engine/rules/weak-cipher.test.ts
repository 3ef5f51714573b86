import rule from "../../../src/engine/rules/weak-cipher";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    `const crypto = require("crypto");\ncrypto.createCipheriv("aes-256-gcm", key, iv);`,
    `const crypto = require("crypto");\ncrypto.createCipheriv("chacha20-poly1305", key, iv, { authTagLength: 16 });`,
    `import { createDecipheriv } from "crypto";\ncreateDecipheriv("aes-128-cbc", key, iv);`,
    // Algorithm not known statically.
    `const crypto = require("crypto");\ncrypto.createCipheriv(process.env.CIPHER, key, iv);`,
    `CryptoJS.AES.encrypt(msg, key, { mode: CryptoJS.mode.CBC, iv });`,
    `new aesjs.ModeOfOperation.cbc(key, iv);`,
    // Names that only look alike.
    `describe("modes", () => {});\nconst codes = ["des"];`,
    `forge.cipher.createCipher("AES-GCM", key);`,
  ],
  invalid: [
    {
      code: `const crypto = require("crypto");\nconst c = crypto.createCipheriv("des-ede3-cbc", key, iv);`,
      errors: [{ line: 2, column: 33, severity: "high", message: /createCipheriv\("des-ede3-cbc"\) uses 3DES/ }],
    },
    {
      code: `import * as crypto from "node:crypto";\nconst MODE = "aes-256-ecb";\nconst c = crypto.createCipheriv(MODE, key, null);`,
      errors: [{ line: 3, column: 33, message: /ECB mode/ }],
    },
    {
      code: `import { createDecipheriv } from "crypto";\nconst d = createDecipheriv("RC4", key, "");`,
      errors: [{ line: 2, column: 28, message: /RC4/ }],
    },
    {
      code: `const c = crypto.createCipheriv("bf-cbc", key, iv);\nconst e = crypto.createCipheriv("des", key, iv);\nconst f = crypto.createCipheriv("cast5-cbc", key, iv);`,
      errors: [
        { line: 1, column: 33, message: /Blowfish/ },
        { line: 2, column: 33, message: /uses DES/ },
        { line: 3, column: 33, message: /CAST5/ },
      ],
    },
    {
      code: `const CryptoJS = require("crypto-js");\nconst t = CryptoJS.DES.encrypt(msg, key);\nconst u = CryptoJS.AES.encrypt(msg, key, { mode: CryptoJS.mode.ECB });`,
      errors: [
        { line: 2, column: 11, message: /crypto-js DES\.encrypt\(\) uses DES/ },
        { line: 3, column: 44, message: /ECB/ },
      ],
    },
    {
      code: `import TripleDES from "crypto-js/tripledes";\nTripleDES.decrypt(blob, key);`,
      errors: [{ line: 2, column: 1, message: /3DES/ }],
    },
    {
      code: `const forge = require("node-forge");\nforge.cipher.createCipher("3DES-CBC", key);\nforge.rc2.createEncryptionCipher(key);`,
      errors: [
        { line: 2, column: 27, message: /3DES/ },
        { line: 3, column: 1, message: /RC2/ },
      ],
    },
    {
      code: `const ecb = new aesjs.ModeOfOperation.ecb(key);`,
      errors: [{ line: 1, column: 13, message: /ECB/ }],
    },
  ],
});
