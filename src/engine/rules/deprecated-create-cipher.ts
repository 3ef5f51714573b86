/**
 * Node's `crypto.createCipher(algorithm, password)` / `createDecipher`: deprecated since Node 10
 * and removed in Node 22. They derive both key and IV from the password with one round of MD5
 * and no salt (EVP_BytesToKey), so every message under one password gets the same IV: repeated
 * plaintext prefixes show under CBC, and under CTR, GCM or other stream modes the keystream
 * repeats, which reveals the XOR of plaintexts and breaks GCM's authentication.
 *
 * Only Node's API (and its browserify ports) is matched: node-forge's `cipher.createCipher`
 * has the same name but takes a real key and an explicit IV.
 */
import { createRule } from "../rule";

const NODE_CRYPTO_MODULES = new Set(["crypto", "crypto-browserify", "browserify-cipher"]);
const STREAM_MODE = /(?:^|-)(?:ctr|gcm|ccm|ocb|ofb|cfb[0-9]*)$|^(?:chacha20|rc4)/i;

export default createRule({
  id: "deprecated-create-cipher",
  meta: {
    title: "crypto.createCipher derives key and IV from a password (no IV)",
    description:
      "Finds crypto.createCipher and crypto.createDecipher, which derive the key and a fixed IV from a password with a single unsalted MD5 round. Every message gets the same IV, so patterns leak under CBC and stream modes (CTR, GCM) reuse their keystream. Deprecated in Node 10 and removed in Node 22.",
    severity: "medium",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-329", "CWE-916", "CWE-327"],
    owasp: ["A02:2021"],
    pci: ["6.2.4"],
    remediation:
      "Use crypto.createCipheriv with a 32-byte key from a key-management system (or derived with crypto.scrypt and a random salt) and a fresh random IV per message, e.g. 'aes-256-gcm' with a 12-byte IV stored beside the ciphertext and auth tag.",
    references: [
      "https://nodejs.org/api/deprecations.html#DEP0106",
      "https://cwe.mitre.org/data/definitions/329.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (!ctx.file.text.includes("createCipher") && !ctx.file.text.includes("createDecipher")) return {};
    const bindings = ctx.shared.bindings;
    return {
      js: {
        CallExpression(node) {
          const resolved = bindings.resolve(node.callee);
          if (!resolved) return;
          const { module, names } = resolved;
          const name = names[names.length - 1];
          if (name !== "createCipher" && name !== "createDecipher") return;
          const nodeApi = module === null ? names.length === 2 && names[0] === "crypto" : NODE_CRYPTO_MODULES.has(module) && names.length === 1;
          if (!nodeApi) return;
          const algorithm = bindings.stringValue(node.arguments[0]);
          const stream = algorithm !== null && STREAM_MODE.test(algorithm);
          ctx.report({
            start: node.start,
            end: node.end,
            severity: stream ? "high" : "medium",
            message: stream
              ? `${name}("${algorithm.slice(0, 40)}") derives the same key and IV from the password for every message, so this stream mode reuses its keystream. Use createCipheriv with a random IV.`
              : `${name}() derives the key and a fixed IV from the password with one unsalted MD5 round (removed in Node 22). Use createCipheriv with a random IV.`,
          });
        },
      },
    };
  },
});
