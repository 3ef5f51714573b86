/**
 * Card numbers hashed with a plain, unkeyed hash (`createHash("sha256").update(pan)`). PCI DSS
 * 3.5.1.1 (mandatory since 31 March 2025) accepts hashes of the PAN only when they are keyed
 * (HMAC with a managed secret key): the PAN space is small — about 10^9 candidates once the BIN
 * and last four digits are known — so an unkeyed hash, salted or not, is reversed by trying them.
 *
 * The card number is recognised by name (what is hashed, where the digest goes, or the enclosing
 * function: `hashCardNumber`, `panFingerprint`). Decisions: HMACs are fine; an input that also
 * mixes in a secret key or pepper (`pan + process.env.PAN_PEPPER`) is treated as keyed and not
 * reported; a salt alone does not make a hash keyed.
 */
import { identifierWords, panColumnConfidence } from "../detect/card-columns";
import type { HashUse } from "../js/hash-calls";
import { mentionedNames } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import type { Confidence } from "../types";

/** Words that name what was done to the value, dropped before asking whether a name is a PAN. */
const DERIVATION = new Set([
  "hash",
  "hashed",
  "hashes",
  "hashing",
  "digest",
  "sha",
  "md",
  "fingerprint",
  "fp",
  "compute",
  "computed",
  "calc",
  "calculate",
  "get",
  "make",
  "create",
  "generate",
  "build",
  "derive",
  "to",
  "of",
  "for",
  "from",
]);

/** Words that mark an input as a secret key mixed into the hash (a keyed construction). */
const KEY_WORDS = new Set(["pepper", "secret", "hmac", "key"]);

function panName(name: string, derived: boolean): Confidence | null {
  if (!derived) return panColumnConfidence(name);
  const words = identifierWords(name.slice(0, 100)).filter((w) => !DERIVATION.has(w) && !/^[0-9]+$/.test(w));
  return words.length === 0 ? null : panColumnConfidence(words.join("_"));
}

interface CardHash {
  name: string;
  confidence: Confidence;
}

/** The card-number name that shows this hash takes a PAN, or null. */
function cardInput(use: HashUse): CardHash | null {
  const inputs = use.inputs.flatMap((n) => mentionedNames(n));
  if (inputs.some((n) => identifierWords(n.slice(0, 100)).some((w) => KEY_WORDS.has(w)))) return null;
  for (const name of inputs) {
    const c = panName(name, false);
    if (c) return { name, confidence: c };
  }
  for (const name of [...use.destinations, ...use.functions]) {
    if (panName(name, true)) return { name, confidence: "medium" };
  }
  return null;
}

// Cheap pre-checks: a card-number name ("pan" as a word, not "span" or "company") and a hash call.
const MENTIONS_CARD = /[Cc]ard|CARD|(?:^|[^a-zA-Z])pan|Pan|PAN|[Cc]c_?[Nn]|CC_?N|[Pp]rimary_?[Aa]ccount/;
const MENTIONS_HASH = /createHash|\.hash\(|subtle|CryptoJS|crypto-js|md5|sha1|js-sha|@noble\/hashes/;

export default createRule({
  id: "unkeyed-card-hash",
  meta: {
    title: "Card number hashed without a key",
    description:
      "Finds card numbers (PANs) hashed with a plain hash such as SHA-256 or MD5 instead of a keyed hash. PCI DSS 3.5.1.1 requires keyed cryptographic hashes of the PAN: unkeyed hashes are reversed by hashing every possible card number in a BIN range.",
    severity: "high",
    confidence: "high",
    category: "card-data",
    cwe: ["CWE-328", "CWE-759"],
    owasp: ["A02:2021"],
    pci: ["3.5.1.1", "3.5.1"],
    remediation:
      "Use an HMAC (crypto.createHmac('sha256', key)) with a key held in a KMS or HSM and managed under PCI DSS 3.6/3.7, or replace the PAN with a token from your payment processor. Re-hash stored values with the keyed construction.",
    references: [
      "https://cwe.mitre.org/data/definitions/759.html",
      "https://cwe.mitre.org/data/definitions/328.html",
      "https://withpci.com/requirements/3/3.5/3.5.1.1.html",
    ],
    tags: ["security", "crypto", "pci-dss"],
    languages: ["javascript", "typescript"],
    supersedes: ["weak-hash-algorithm"],
  },
  create(ctx) {
    const text = ctx.file.text;
    if (isTestPath(ctx.file.path) || !MENTIONS_CARD.test(text) || !MENTIONS_HASH.test(text)) return {};
    const collector = ctx.shared.hashCalls;
    return {
      end() {
        for (const use of collector.uses) {
          if (use.kind !== "hash") continue;
          const card = cardInput(use);
          if (!card) continue;
          ctx.report({
            start: use.call.start,
            end: use.call.end,
            confidence: card.confidence,
            message: `Card number (\`${card.name.slice(0, 60)}\`) is hashed with unkeyed ${use.algorithm.slice(0, 40)}: PCI DSS 3.5.1.1 requires a keyed hash (HMAC with a managed secret key), since a plain hash of a PAN is reversed by trying every number in its BIN range.`,
          });
        }
      },
    };
  },
});
