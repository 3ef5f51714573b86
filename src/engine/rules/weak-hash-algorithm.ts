/**
 * MD5 and SHA-1 (and MD4/MD2) where the hash protects something. Both are broken for collision
 * resistance and far too fast for passwords, so PCI DSS 6.2.4 ("attacks on cryptography usage")
 * and OWASP A02 expect stronger algorithms. They remain common for harmless jobs — ETags, cache
 * keys, Gravatar URLs, S3 Content-MD5, git object ids — so the rule reads the context: what is
 * hashed, where the digest goes, the enclosing function's name.
 *
 * Decisions: a password is high severity; tokens, secrets, signatures and card data are
 * medium; a hash whose destination, input or file path says "cache / etag / checksum / file
 * content / websocket" (RFC 6455's handshake is SHA-1) is not reported; anything else is medium
 * with low confidence. HMAC-SHA1 stays quiet (TOTP, OAuth 1.0a
 * and many webhook schemes still rely on it and HMAC does not need collision resistance);
 * HMAC-MD5 is reported as low. Test files are skipped.
 */
import { nameParts } from "../detect/secret-values";
import type { HashUse } from "../js/hash-calls";
import { mentionedNames } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";
import type { Confidence, Severity } from "../types";

/** Normalised algorithm names (see normaliseAlgorithm) that are broken, with a display name. */
const WEAK = new Map([
  ["md2", "MD2"],
  ["md4", "MD4"],
  ["md5", "MD5"],
  ["sha1", "SHA-1"],
  ["rsamd4", "MD4"],
  ["rsamd5", "MD5"],
  ["rsasha1", "SHA-1"],
  ["rsasha12", "SHA-1"],
  ["md4withrsaencryption", "MD4"],
  ["md5withrsaencryption", "MD5"],
  ["sha1withrsaencryption", "SHA-1"],
  ["ecdsawithsha1", "SHA-1"],
  ["dsawithsha1", "SHA-1"],
  ["dsasha1", "SHA-1"],
  ["md5sha1", "MD5"],
]);

const PASSWORD = new Set(["password", "passwords", "passwd", "pwd", "pw", "pass", "passphrase", "passcode", "pin"]);

const SECURITY = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "apikey",
  "otp",
  "totp",
  "hotp",
  "nonce",
  "salt",
  "session",
  "sessions",
  "signature",
  "sign",
  "signed",
  "signing",
  "verify",
  "verification",
  "auth",
  "authenticate",
  "authentication",
  "authorization",
  "credential",
  "credentials",
  "cvv",
  "cvc",
  "cvv2",
  "pan",
  "card",
  "ssn",
  "jwt",
  "csrf",
  "xsrf",
  "cookie",
  "license",
  "licence",
  "integrity",
  "tamper",
  "challenge",
  "login",
  "private",
]);

const BENIGN = new Set([
  "etag",
  "etags",
  "cache",
  "cached",
  "caching",
  "checksum",
  "checksums",
  "gravatar",
  "avatar",
  "dedupe",
  "dedup",
  "deduplicate",
  "deduplication",
  "shard",
  "sharding",
  "bucket",
  "partition",
  "color",
  "colour",
  "hue",
  "filename",
  "file",
  "files",
  "content",
  "contents",
  "asset",
  "assets",
  "chunk",
  "chunks",
  "buffer",
  "stream",
  "bust",
  "buster",
  "revision",
  "webpack",
  "git",
  "blob",
  "infohash",
  "torrent",
  "variant",
  "experiment",
  "rollout",
  "sampling",
  "sticky",
  "css",
  "classname",
  "idempotency",
  "fixture",
  "fixtures",
  "placeholder",
  "websocket",
  "socket",
  "ws",
]);

type Purpose = "password" | "security" | "benign" | "neutral";

interface Judgement {
  purpose: Purpose;
  /** The name that showed the purpose. */
  name?: string;
  /** True when only the enclosing function's name showed it. */
  fromFunction?: boolean;
}

/** The first name with a word from `words`, or which is one as a whole ("ETag" → "etag"). */
function firstIn(names: readonly string[], words: ReadonlySet<string>): string | undefined {
  return names.find((n) => {
    const short = n.slice(0, 100);
    return words.has(short.toLowerCase().replace(/[^a-z0-9]/g, "")) || nameParts(short).some((w) => words.has(w));
  });
}

/**
 * What a hash is for, from what it hashes, where its digest goes, the enclosing function and,
 * last, the file's path (`middleware/etag/index.js`, `websocket-server.js`).
 */
function judge(use: HashUse, path: string): Judgement {
  const inputs = use.inputs.flatMap((n) => mentionedNames(n));
  let name = firstIn(inputs, PASSWORD) ?? firstIn(use.destinations, PASSWORD);
  if (name) return { purpose: "password", name };
  if (firstIn(use.destinations, BENIGN) || firstIn(inputs, BENIGN)) return { purpose: "benign" };
  name = firstIn(inputs, SECURITY) ?? firstIn(use.destinations, SECURITY);
  if (name) return { purpose: "security", name };
  name = firstIn(use.functions, PASSWORD);
  if (name) return { purpose: "password", name, fromFunction: true };
  if (firstIn(use.functions, BENIGN)) return { purpose: "benign" };
  name = firstIn(use.functions, SECURITY);
  if (name) return { purpose: "security", name, fromFunction: true };
  if (firstIn(path.split("/").slice(-3), BENIGN)) return { purpose: "benign" };
  return { purpose: "neutral" };
}

interface Verdict {
  severity: Severity;
  confidence: Confidence;
  message: string;
}

function verdict(use: HashUse, display: string, path: string): Verdict | null {
  const j = judge(use, path);
  const where = j.name ? ` (\`${j.name.slice(0, 60)}\`)` : "";
  const confidence: Confidence = j.fromFunction ? "medium" : "high";
  if (j.purpose === "password") {
    const what = use.kind === "hmac" ? `HMAC-${display}` : display;
    return {
      severity: "high",
      confidence,
      message: `${what} hashes a password${where}: it is fast to brute-force${use.kind === "hmac" ? "" : " and broken"}. Store passwords with Argon2id, scrypt or bcrypt.`,
    };
  }
  if (use.kind === "signature") {
    return {
      severity: "medium",
      confidence: "high",
      message: `Signature over a ${display} digest ("${use.algorithm.slice(0, 40)}"): ${display} collisions allow forged signatures. Sign with SHA-256 or stronger.`,
    };
  }
  if (use.kind === "hmac") {
    if (display !== "MD5" && display !== "MD4" && display !== "MD2") return null;
    return { severity: "low", confidence: "medium", message: `HMAC-${display} is deprecated for new designs (RFC 6151); use HMAC-SHA-256.` };
  }
  if (j.purpose === "benign") return null;
  if (j.purpose === "security") {
    return {
      severity: "medium",
      confidence,
      message: `${display} is used for a security purpose${where}: it is broken (practical collisions). Use SHA-256 or stronger, or HMAC-SHA-256 when a secret key is involved.`,
    };
  }
  return {
    severity: "medium",
    confidence: "low",
    message: `${display} is a broken hash algorithm. If this digest protects anything (integrity, identity, a secret), use SHA-256 or stronger; if it is only a cache key or checksum, say so in the name (e.g. \`cacheKey\`).`,
  };
}

const MENTIONS_WEAK = /md[245]|sha-?1(?![0-9])/i;

export default createRule({
  id: "weak-hash-algorithm",
  meta: {
    title: "Broken hash algorithm (MD5/SHA-1) used for security",
    description:
      "Finds MD5, MD4 and SHA-1 used to hash passwords, tokens, secrets or card data, or inside signatures. These algorithms are broken (practical collisions) and fast to brute-force, which PCI DSS 6.2.4 and OWASP A02 treat as a cryptographic failure. Cache keys, ETags and file checksums are left alone.",
    severity: "medium",
    confidence: "medium",
    category: "crypto",
    cwe: ["CWE-328", "CWE-327", "CWE-916"],
    owasp: ["A02:2021"],
    pci: ["6.2.4"],
    remediation:
      "Hash passwords with a slow, salted password hash (Argon2id, scrypt or bcrypt; crypto.scrypt in Node). For tokens, integrity checks and signatures use SHA-256 or stronger, and HMAC-SHA-256 with a managed key when the digest must not be forgeable.",
    references: [
      "https://cwe.mitre.org/data/definitions/328.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
      "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",
      "https://nodejs.org/api/crypto.html#cryptocreatehashalgorithm-options",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !MENTIONS_WEAK.test(ctx.file.text)) return {};
    const collector = ctx.shared.hashCalls;
    return {
      end() {
        for (const use of collector.uses) {
          const display = WEAK.get(use.normalised);
          if (!display) continue;
          const v = verdict(use, display, ctx.file.path);
          if (!v) continue;
          ctx.report({ start: use.call.start, end: use.call.end, ...v });
        }
      },
    };
  },
});
