/**
 * Home-made "encryption": a function named as a cipher (encrypt, decrypt, cipher, obfuscate,
 * scramble) whose body XORs character codes with a repeating key (`text.charCodeAt(i) ^
 * key.charCodeAt(i % key.length)`) or shifts them (`String.fromCharCode(c.charCodeAt(0) + 3)`).
 * Such schemes fall to a few known plaintexts or to frequency analysis, so whatever they protect
 * (card numbers, tokens, passwords) is effectively stored in the clear (PCI DSS 3.5.1 and 6.2.4
 * ask for strong cryptography; CWE-327).
 *
 * What keeps it quiet in libraries: real ciphers and hashes XOR words and table lookups, not
 * character codes of text, and never index a key with `i % key.length`; a function that also
 * calls a real cipher (createCipheriv, subtle.encrypt, CryptoJS.AES, sodium) is a wrapper around
 * one, not home-made. Test files are skipped.
 */
import type { JsNode } from "../parse/js";
import { nameParts } from "../detect/secret-values";
import { FUNCTION_TYPES, functionName } from "../js/ancestor-trail";
import { propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";

/** Words of a function name that say it encrypts. */
const CIPHER_WORDS = new Set([
  "encrypt",
  "decrypt",
  "encrypted",
  "decrypted",
  "encryption",
  "decryption",
  "cipher",
  "encipher",
  "decipher",
  "crypt",
  "obfuscate",
  "deobfuscate",
  "scramble",
  "unscramble",
  "caesar",
  "vigenere",
  "rot13",
  "xor",
]);
/** Calls of real ciphers: a function calling one wraps it. */
const REAL_CIPHERS =
  /^(?:createCipheriv|createDecipheriv|createCipher|createDecipher|publicEncrypt|privateDecrypt|privateEncrypt|publicDecrypt|secretbox|crypto_secretbox_easy|crypto_box_easy|seal|open)$/;
const MENTIONS = /charCodeAt|codePointAt|%[ \t]*[\w.]{1,60}\.length/;
/** Some function name must say it encrypts: a file without these letters has none. */
const CIPHER_NAME_HINT = /crypt|cipher|obfuscat|scrambl|caesar|vigenere|rot13|xor/i;

type Scheme = "xor" | "shift";

/** `s.charCodeAt(i)` / `s.codePointAt(i)` / `s[i % k.length]`: a character of text or a repeating key. */
function isCharacterRead(node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "CallExpression") {
    const callee = unwrap(n.callee);
    const name = callee.type === "MemberExpression" ? propertyName(callee) : null;
    return name === "charCodeAt" || name === "codePointAt";
  }
  return n.type === "MemberExpression" && n.computed && isModuloLength(n.property);
}

/** `i % key.length`. */
function isModuloLength(node: JsNode): boolean {
  const n = unwrap(node);
  return n.type === "BinaryExpression" && n.operator === "%" && unwrap(n.right).type === "MemberExpression" && propertyName(unwrap(n.right)) === "length";
}

/** Whether an operand reads a character (directly or through `… & 0xff`, `(c - 65 + 13) % 26`), looking four levels down. */
function readsCharacter(node: JsNode, depth = 0): boolean {
  const n = unwrap(node);
  if (isCharacterRead(n)) return true;
  if (depth >= 4 || n.type !== "BinaryExpression") return false;
  return readsCharacter(n.left, depth + 1) || readsCharacter(n.right, depth + 1);
}

export default createRule({
  id: "homemade-crypto",
  meta: {
    title: "Home-made encryption (XOR or character shift)",
    description:
      "Finds functions named as encryption that XOR character codes with a key or shift them (Caesar/ROT). These are reversible from a few known plaintexts, so data 'encrypted' this way — card numbers, tokens, passwords — is not protected by strong cryptography as PCI DSS 3.5.1 and 6.2.4 require.",
    severity: "high",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-327"],
    owasp: ["A02:2021"],
    pci: ["3.5.1", "6.2.4"],
    remediation:
      "Replace the function with a vetted authenticated cipher — crypto.createCipheriv('aes-256-gcm', key, randomIv) or Web Crypto's AES-GCM — with the key from a key-management system; for passwords use a password hash (Argon2id, scrypt, bcrypt). Re-encrypt what was stored with the old scheme.",
    references: [
      "https://cwe.mitre.org/data/definitions/327.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
      "https://en.wikipedia.org/wiki/XOR_cipher",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !MENTIONS.test(ctx.file.text) || !CIPHER_NAME_HINT.test(ctx.file.text)) return {};
    const trail = ctx.shared.trail([]);
    /** Cipher-named functions with the first home-made operation found in them. */
    const found = new Map<JsNode, { name: string; scheme: Scheme; at: JsNode }>();
    const wrappers = new Set<JsNode>();

    /** The innermost enclosing function whose name says it encrypts, with its name. */
    const cipherFunction = (): { fn: JsNode; name: string } | null => {
      for (let i = trail.nodes.length - 1; i >= 0; i--) {
        const fn = trail.nodes[i]!;
        if (!FUNCTION_TYPES.has(fn.type)) continue;
        const name = functionName(fn, trail.parents[i]!);
        if (name && nameParts(name.slice(0, 80)).some((w) => CIPHER_WORDS.has(w))) return { fn, name };
      }
      return null;
    };
    const note = (scheme: Scheme, at: JsNode) => {
      const f = cipherFunction();
      if (f && !found.has(f.fn)) found.set(f.fn, { name: f.name, scheme, at });
    };

    return {
      js: {
        BinaryExpression(node) {
          if (node.operator === "^" && (readsCharacter(node.left) || readsCharacter(node.right))) note("xor", node);
        },
        AssignmentExpression(node) {
          if (node.operator === "^=" && readsCharacter(node.right)) note("xor", node);
        },
        CallExpression(node) {
          const callee = unwrap(node.callee);
          const name = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
          if (name === null) return;
          if (
            REAL_CIPHERS.test(name) ||
            (name === "encrypt" &&
              callee.type === "MemberExpression" &&
              /subtle|AES|aes|ChaCha|cipher/i.test(propertyName(unwrap(callee.object)) ?? unwrap(callee.object).name ?? ""))
          ) {
            for (let i = trail.nodes.length - 1; i >= 0; i--) if (FUNCTION_TYPES.has(trail.nodes[i]!.type)) wrappers.add(trail.nodes[i]!);
            return;
          }
          // String.fromCharCode(s.charCodeAt(i) + shift): a Caesar/ROT shift.
          if (name === "fromCharCode" || name === "fromCodePoint") {
            for (const a of node.arguments) {
              const arg = unwrap(a);
              if (arg.type === "BinaryExpression" && (arg.operator === "+" || arg.operator === "-" || arg.operator === "%") && readsCharacter(arg)) {
                note("shift", node);
                break;
              }
            }
          }
        },
      },
      end() {
        for (const [fn, { name, scheme, at }] of found) {
          if (wrappers.has(fn)) continue;
          ctx.report({
            start: at.start,
            end: at.end,
            message:
              scheme === "xor"
                ? `${name.slice(0, 60)}() "encrypts" by XOR-ing character codes with a key: a few known characters of plaintext reveal the key, and the key repeats. Use AES-256-GCM (crypto.createCipheriv) with a managed key.`
                : `${name.slice(0, 60)}() "encrypts" by shifting character codes (a Caesar/ROT cipher), which anyone can reverse. Use AES-256-GCM (crypto.createCipheriv) with a managed key.`,
            fingerprintKey: name.slice(0, 60),
          });
        }
      },
    };
  },
});
