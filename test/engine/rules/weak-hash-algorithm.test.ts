import rule from "../../../src/engine/rules/weak-hash-algorithm";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Strong algorithms.
    `import { createHash } from "crypto";\nconst h = createHash("sha256").update(password).digest("hex");`,
    `const crypto = require("crypto");\ncrypto.createHash("sha512").update(token).digest();`,
    // Harmless uses named as such: ETag header, cache key, Gravatar URL, file checksum.
    `const crypto = require("crypto");\nres.setHeader("ETag", crypto.createHash("md5").update(body).digest("hex"));`,
    `const crypto = require("crypto");\nconst cacheKey = crypto.createHash("md5").update(url).digest("hex");`,
    `const crypto = require("crypto");\nconst h = crypto.createHash("md5").update(email).digest("hex");\nconst src = \`https://www.gravatar.com/avatar/\${h}\`;`,
    `const crypto = require("crypto");\nfunction fileChecksum(buf) { return crypto.createHash("sha1").update(buf).digest("hex"); }`,
    `const crypto = require("crypto");\nconst digest = crypto.createHash("md5").update(body).digest("base64");\nres.set("Content-MD5", digest);`,
    // HMAC-SHA1 (TOTP, OAuth 1.0a, legacy webhooks) is not reported.
    `const crypto = require("crypto");\nconst sig = crypto.createHmac("sha1", secret).update(payload).digest("hex");`,
    // Algorithm not known statically.
    `const crypto = require("crypto");\nexport const h = (alg, x) => crypto.createHash(alg).update(x).digest("hex");`,
    // A local helper named md5 is not the md5 package (its own body is what gets checked).
    `function md5(s) { return s; }\nconst passwordHash = md5(password);`,
    // Test files are skipped.
    { path: "test/auth.test.ts", code: `import { createHash } from "crypto";\nconst h = createHash("md5").update(password).digest("hex");` },
    // A string that merely mentions md5.
    `const label = "md5";\nconsole.log(label);`,
  ],
  invalid: [
    {
      code: `import { createHash } from "node:crypto";\nexport function hashPassword(pw: string) {\n  return createHash("md5").update(pw).digest("hex");\n}`,
      errors: [{ line: 3, column: 10, severity: "high", confidence: "high", message: /MD5 hashes a password \(`pw`\)/ }],
    },
    {
      // Constant algorithm name, namespace import, password found through the function name.
      code: `import * as crypto from "crypto";\nconst ALG = "sha1";\nfunction hashPassword(value) {\n  return crypto.createHash(ALG).update(value).digest("hex");\n}`,
      errors: [{ line: 4, column: 10, severity: "high", confidence: "medium", message: /SHA-1 hashes a password/ }],
    },
    {
      // Hash object in a variable, data added in a later statement.
      code: `const { createHash: h } = require("crypto");\nconst hasher = h("sha1");\nhasher.update(user.password);\nconst out = hasher.digest("hex");`,
      errors: [{ line: 2, column: 16, severity: "high", message: /`user\.password`/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst tokenHash = crypto.createHash("md5").update(resetToken).digest("hex");`,
      errors: [{ line: 2, column: 19, severity: "medium", confidence: "high", message: /security purpose \(`resetToken`\)/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst x = crypto.createHash("md5").update(thing).digest("hex");`,
      errors: [{ line: 2, column: 11, severity: "medium", confidence: "low" }],
    },
    {
      code: `import crypto from "crypto";\nconst signer = crypto.createSign("RSA-SHA1");`,
      errors: [{ line: 2, column: 16, severity: "medium", message: /Signature over a SHA-1 digest/ }],
    },
    {
      code: `import crypto from "crypto";\nconst sig = crypto.sign("sha1", data, privateKey);`,
      errors: [{ line: 2, column: 13, message: /Signature/ }],
    },
    {
      code: `const crypto = require("crypto");\nconst mac = crypto.createHmac("md5", key).update(body).digest("hex");`,
      errors: [{ line: 2, column: 13, severity: "low", message: /HMAC-MD5/ }],
    },
    {
      code: `async function f(apiToken) {\n  return crypto.subtle.digest("SHA-1", new TextEncoder().encode(apiToken));\n}`,
      errors: [{ line: 2, column: 10, severity: "medium", message: /SHA-1 is used for a security purpose/ }],
    },
    {
      code: `import CryptoJS from "crypto-js";\nconst stored = CryptoJS.MD5(password).toString();`,
      errors: [{ line: 2, column: 16, severity: "high" }],
    },
    {
      code: `const md5 = require("blueimp-md5");\nlocalStorage.setItem("pin", md5(pin));`,
      errors: [{ line: 2, column: 29, severity: "high" }],
    },
    {
      // Global CryptoJS in a browser script, `hash` one-shot in Node.
      code: `const a = CryptoJS.SHA1(secret);\nconst b = require("node:crypto").hash("md5", apiSecret);`,
      path: "public/app.js",
      errors: [
        { line: 1, column: 11, severity: "medium" },
        { line: 2, column: 11, severity: "medium" },
      ],
    },
  ],
});
