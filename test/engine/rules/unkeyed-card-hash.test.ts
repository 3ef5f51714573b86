import rule from "../../../src/engine/rules/unkeyed-card-hash";
import { ruleCases } from "./rule-tester";

ruleCases(rule, {
  valid: [
    // Keyed hashes.
    `import { createHmac } from "crypto";\nconst fp = createHmac("sha256", key).update(cardNumber).digest("hex");`,
    `import { sha256 } from "js-sha256";\nconst fp = sha256.hmac(process.env.KEY, pan);`,
    // A secret pepper mixed in is a keyed construction.
    `import { createHash } from "crypto";\nconst fp = createHash("sha256").update(pan + process.env.PAN_PEPPER).digest("hex");`,
    // Not the PAN: tokens, last four digits, card ids, expiry.
    `import { createHash } from "crypto";\nconst a = createHash("sha256").update(card.token).digest("hex");`,
    `import { createHash } from "crypto";\nconst b = createHash("sha256").update(card.last4).digest("hex");`,
    `import { createHash } from "crypto";\nconst c = createHash("sha256").update(cardId).digest("hex");`,
    `import { createHash } from "crypto";\nconst d = createHash("sha256").update(company).digest("hex");`,
    // Signatures are not hashes of stored data.
    `import { createSign } from "crypto";\nconst s = createSign("sha256");\ns.update(cardNumber);`,
    // Test files are skipped.
    { path: "src/__tests__/vault.test.ts", code: `import { createHash } from "crypto";\nconst fp = createHash("sha256").update(cardNumber).digest("hex");` },
  ],
  invalid: [
    {
      code: `import { createHash } from "crypto";\nconst fp = createHash("sha256").update(req.body.cardNumber).digest("hex");`,
      errors: [{ line: 2, column: 12, severity: "high", confidence: "high", message: /`req\.body\.cardNumber`.*unkeyed sha256.*3\.5\.1\.1/ }],
    },
    {
      // Salted is still unkeyed.
      code: `const crypto = require("crypto");\nconst fp = crypto.createHash("sha256").update(salt).update(payment.card_number).digest("hex");`,
      errors: [{ line: 2, column: 12, confidence: "high" }],
    },
    {
      // Found through the function name.
      code: `import { createHash } from "crypto";\nexport function hashCardNumber(value: string) {\n  return createHash("sha1").update(value).digest("hex");\n}`,
      errors: [{ line: 3, column: 10, confidence: "medium", message: /`hashCardNumber`/ }],
    },
    {
      // A bare "pan" is medium confidence (it is also a tax id in some countries).
      code: `import { createHash } from "crypto";\nconst h = createHash("sha256");\nh.update(pan);\nconst digest = h.digest("hex");`,
      errors: [{ line: 2, column: 11, confidence: "medium" }],
    },
    {
      code: `import { sha256 } from "@noble/hashes/sha2";\nconst fp = sha256(new TextEncoder().encode(ccNumber));`,
      errors: [{ line: 2, column: 12 }],
    },
    {
      code: `async function fingerprint(cardNumber) {\n  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(cardNumber));\n}`,
      errors: [{ line: 2, column: 10 }],
    },
  ],
});
