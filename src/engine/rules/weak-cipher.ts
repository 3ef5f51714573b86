/**
 * Encryption with a broken or weak cipher — DES, 3DES, RC4, RC2, Blowfish, CAST5, IDEA — or in
 * ECB mode, which encrypts equal blocks to equal ciphertext and so leaks patterns (card numbers
 * sharing a BIN share their first block). PCI DSS 6.2.4 and 3.5.1 expect strong cryptography;
 * NIST SP 800-131A disallows DES and, since 2024, 3DES for encryption; 64-bit block ciphers fall
 * to Sweet32.
 *
 * Covered: Node's createCipheriv / createDecipheriv / createCipher (and node-forge's
 * `cipher.createCipher("DES-ECB")`, which shares the name), node-forge's `des` and `rc2`
 * modules, crypto-js `DES` / `TripleDES` / `RC4` / `Blowfish` and `mode: CryptoJS.mode.ECB`,
 * and aes-js `ModeOfOperation.ecb`. Algorithm names may come from a `const` in the same file.
 */
import type { JsNode } from "../parse/js";
import { memberChain, propertyName, unwrap } from "../js/node-values";
import { createRule } from "../rule";

const CIPHER_FACTORIES = new Set(["createCipheriv", "createDecipheriv", "createCipher", "createDecipher"]);
const CRYPTO_JS_WEAK = new Map([
  ["DES", "DES"],
  ["TripleDES", "3DES"],
  ["RC4", "RC4"],
  ["RC4Drop", "RC4"],
  ["Blowfish", "Blowfish"],
]);
const FORGE_WEAK = new Map([
  ["des", "DES"],
  ["rc2", "RC2"],
]);

const WHY: Record<string, string> = {
  DES: "DES has a 56-bit key and is broken by exhaustive search",
  "3DES": "3DES is a 64-bit block cipher (Sweet32) that NIST disallows for encryption",
  RC4: "RC4 has exploitable keystream biases and is prohibited in TLS (RFC 7465)",
  RC2: "RC2 is an obsolete cipher with weak keys",
  Blowfish: "Blowfish is a 64-bit block cipher (Sweet32)",
  CAST5: "CAST5 is a 64-bit block cipher (Sweet32)",
  IDEA: "IDEA is a 64-bit block cipher (Sweet32)",
  ECB: "ECB mode encrypts equal blocks to equal ciphertext, leaking patterns in the data",
};

/**
 * The weakness an OpenSSL/forge cipher name shows: "des-ede3-cbc" → "3DES", "aes-256-ecb" →
 * "ECB", "aes-256-gcm" → null.
 */
function cipherWeakness(algorithm: string): string | null {
  const parts = algorithm.toLowerCase().trim().split(/[-_/]/);
  const first = parts[0] ?? "";
  if (first === "des" || first === "desx") return parts.includes("ede") || parts.includes("ede3") ? "3DES" : "DES";
  if (first === "des3" || first === "3des" || first === "tripledes" || first === "des-ede3") return "3DES";
  if (first.startsWith("rc4") || first === "arc4") return "RC4";
  if (first.startsWith("rc2")) return "RC2";
  if (first === "bf" || first === "blowfish") return "Blowfish";
  if (first === "cast" || first === "cast5") return "CAST5";
  if (first === "idea") return "IDEA";
  if (parts.includes("ecb")) return "ECB";
  return null;
}

/** Every call this rule reports contains one of these. */
const MENTIONS_CIPHER = /createCipher|createDecipher|CryptoJS|crypto-js|ModeOfOperation|(?:Encryption|Decryption)Cipher|mode\.ECB/;

export default createRule({
  id: "weak-cipher",
  meta: {
    title: "Broken cipher or ECB mode (DES, 3DES, RC4, Blowfish, ECB)",
    description:
      "Finds encryption with DES, 3DES, RC4, RC2, Blowfish, CAST5 or IDEA, or with any cipher in ECB mode. These are not strong cryptography under PCI DSS (6.2.4, and 3.5.1 when they protect stored card data): keys can be recovered, 64-bit blocks collide, and ECB leaks repeated plaintext.",
    severity: "high",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-327"],
    owasp: ["A02:2021"],
    pci: ["6.2.4", "3.5.1"],
    remediation:
      "Encrypt with an authenticated mode of AES: crypto.createCipheriv('aes-256-gcm', key, iv) with a fresh random 12-byte IV per message, storing the IV and auth tag with the ciphertext. Re-encrypt existing data and retire the old keys.",
    references: [
      "https://cwe.mitre.org/data/definitions/327.html",
      "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",
      "https://sweet32.info/",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (!MENTIONS_CIPHER.test(ctx.file.text)) return {};
    const bindings = ctx.shared.bindings;
    const report = (node: JsNode, weakness: string, what: string) => {
      ctx.report({ start: node.start, end: node.end, message: `${what}: ${WHY[weakness]}. Use AES-256-GCM with a random IV.` });
    };
    const onCall = (node: JsNode) => {
      const resolved = bindings.resolve(node.callee);
      if (resolved) {
        const { names } = resolved;
        const last = names[names.length - 1] ?? "";
        const prev = names[names.length - 2] ?? "";
        if (CIPHER_FACTORIES.has(last) && node.arguments.length > 0) {
          const algorithm = bindings.stringValue(node.arguments[0]);
          const weakness = algorithm === null ? null : cipherWeakness(algorithm);
          if (weakness) report(unwrap(node.arguments[0]), weakness, `${last}("${algorithm!.slice(0, 40)}") uses ${weakness === "ECB" ? "ECB mode" : weakness}`);
        } else if (last === "encrypt" || last === "decrypt") {
          const weakness = cryptoJsCipher(resolved.module, names);
          if (weakness) report(node, weakness, `crypto-js ${names.join(".")}() uses ${weakness}`);
        } else if (last === "createEncryptionCipher" || last === "createDecryptionCipher") {
          const weakness = FORGE_WEAK.get(prev);
          if (weakness) report(node, weakness, `forge ${prev}.${last}() uses ${weakness}`);
        }
      }
      for (const arg of node.arguments) {
        const mode = ecbModeOption(arg);
        if (mode) report(mode, "ECB", "Cipher options select ECB mode");
      }
    };
    return {
      js: {
        CallExpression: onCall,
        NewExpression(node) {
          const chain = memberChain(node.callee);
          const n = chain?.names.length ?? 0;
          if (chain && n >= 2 && chain.names[n - 2] === "ModeOfOperation" && chain.names[n - 1]!.toLowerCase() === "ecb") {
            report(node, "ECB", "aes-js ModeOfOperation.ecb");
          }
        },
      },
    };
  },
});

/** The weak crypto-js cipher of `CryptoJS.DES.encrypt` / `import TripleDES from "crypto-js/tripledes"`. */
function cryptoJsCipher(module: string | null, names: readonly string[]): string | null {
  const n = names.length;
  const cipher = n >= 2 ? names[n - 2]! : null;
  if (module === "crypto-js" && n === 2) return CRYPTO_JS_WEAK.get(cipher!) ?? null;
  if (module === null && n === 3 && names[0] === "CryptoJS") return CRYPTO_JS_WEAK.get(cipher!) ?? null;
  if (module !== null && module.startsWith("crypto-js/") && n === 1) {
    const file = module.slice("crypto-js/".length);
    return file === "tripledes" ? "3DES" : file === "rc4" ? "RC4" : file === "blowfish" ? "Blowfish" : null;
  }
  return null;
}

/** The `mode: CryptoJS.mode.ECB` property of an options object, or null. */
function ecbModeOption(arg: JsNode): JsNode | null {
  const n = unwrap(arg);
  if (n.type !== "ObjectExpression") return null;
  for (const p of n.properties) {
    if (p.type !== "Property" || propertyName(p) !== "mode") continue;
    const chain = memberChain(p.value);
    const names = chain?.names ?? [];
    if (names.length >= 2 && names[names.length - 1] === "ECB" && names[names.length - 2] === "mode") return p;
  }
  return null;
}
