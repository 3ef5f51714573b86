/**
 * Password hashing with work factors below what OWASP's Password Storage Cheat Sheet asks for:
 * a stolen user table is then cracked in hours instead of years (PCI DSS 8.3.2 requires
 * passwords to be unreadable with strong cryptography; 3.6/3.7 cover the keys derived the same
 * way). Covered, with the parameters as literals or `const`s of the file:
 * - bcrypt / bcryptjs / @node-rs/bcrypt: `hash(pw, cost)`, `hashSync`, `genSalt(cost)` with a
 *   cost below 10 (high below 8);
 * - argon2 / @node-rs/argon2: `memoryCost` / `timeCost` below OWASP's table (m=19 MiB t=2 …
 *   m=7 MiB t=5); the libraries' defaults are above it;
 * - PBKDF2 (Node's `pbkdf2` / `pbkdf2Sync`, Web Crypto's `deriveBits` / `deriveKey`): fewer
 *   iterations than 1,300,000 (SHA-1), 600,000 (SHA-256) or 210,000 (SHA-512);
 * - scrypt (Node's `scrypt` / `scryptSync`, scrypt-js): an explicit N below OWASP's cost table
 *   (N=2^17 with r=8, p=1, or a larger p for a smaller N);
 * - a password stored as a fast SHA-2/SHA-3 digest (MD5/SHA-1 are weak-hash-algorithm's),
 *   unless the file also uses a slow hash (then the digest is a pre-hash).
 *
 * Decisions: PBKDF2 under 10,000 iterations (below even NIST SP 800-63B's old floor, and the
 * count of much legacy code) is high; from 10,000 up to OWASP's figure it is medium, since it
 * met yesterday's guidance and the fix is a migration on next login. Node's scrypt default
 * (N=16384, r=8, p=1) is below OWASP's table, but Node's default `maxmem` (32 MiB) refuses
 * N=2^17 with r=8, so the default is the documented, common choice: it is reported only when the
 * input is named as a password, at low severity, saying what to pass. Test files are skipped.
 */
import { nameParts } from "../detect/secret-values";
import type { JsNode } from "../parse/js";
import { mentionedNames, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type Report } from "../rule";

const BCRYPT_MODULES = new Set(["bcrypt", "bcryptjs", "bcrypt-nodejs", "@node-rs/bcrypt", "bcrypt-ts"]);
/** bcrypt functions and the argument holding the cost. */
const BCRYPT_COST_ARG = new Map([
  ["hash", 1],
  ["hashSync", 1],
  ["genSalt", 0],
  ["genSaltSync", 0],
]);
const ARGON2_MODULES = new Set(["argon2", "@node-rs/argon2"]);
const NODE_CRYPTO = new Set(["crypto", "crypto-browserify", "pbkdf2"]);

/** OWASP's PBKDF2 iteration counts by HMAC digest (normalised name). */
const PBKDF2_MINIMUM = new Map([
  ["sha1", 1_300_000],
  ["sha256", 600_000],
  ["sha512", 210_000],
]);
/** The floor under which PBKDF2 is high severity: NIST SP 800-63B's long-standing minimum. */
const PBKDF2_LEGACY_FLOOR = 10_000;
/** OWASP's argon2id table: memory (KiB) → the smallest time cost that goes with it, largest memory first. */
const ARGON2_TABLE: ReadonlyArray<readonly [number, number]> = [
  [47_104, 1],
  [19_456, 2],
  [12_288, 3],
  [9_216, 4],
  [7_168, 5],
];
/** OWASP's scrypt table with r=8: log2(N) → the smallest parallelism that goes with it. */
const SCRYPT_TABLE: ReadonlyArray<readonly [number, number]> = [
  [17, 1],
  [16, 2],
  [15, 3],
  [14, 5],
  [13, 10],
];
const NODE_SCRYPT_DEFAULT_N = 16_384;

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pw", "pass", "passphrase", "passcode", "pin"]);
/** Every password word holds one of these: most names are settled without splitting them. */
const WORD_HINT = /pass|pw|pin/i;

/** Every call this rule reports contains one of these. */
const MENTIONS = /bcrypt|argon2|pbkdf2|PBKDF2|scrypt|genSalt|sha-?(?:224|256|384|512)|sha3/i;
/** A slow password hash in the file: a fast hash there is a pre-hash (bcrypt's 72-byte limit), not the storage format. */
const SLOW_KDF = /bcrypt|argon2|scrypt|pbkdf2/i;
/** A file that hashes passwords says so somewhere. */
const PASSWORD_HINT = /passw|pwd|passphrase|passcode|\bpin\b|\bpass\b/i;
/** Unbroken but fast digests (MD5 and SHA-1 are weak-hash-algorithm's). */
const FAST_DIGEST = /^sha(?:224|256|384|512|3)/;
/** Words that make a password-named value something else: a reset token, a one-time code. */
const NOT_A_PASSWORD = new Set(["reset", "token", "otp", "code", "link", "hint"]);

/**
 * Whether an expression names a user's password: `password`, `req.body.newPassword`, `user.pwd`;
 * not a configuration secret (`SESSION_PASSWORD`, `process.env.DB_PASS`), whose entropy the
 * operator chooses and for which the work factor matters little.
 */
function namesUserPassword(node: JsNode | undefined): boolean {
  if (!node) return false;
  return mentionedNames(node, 16).some((n) => {
    const last = n.slice(n.lastIndexOf(".") + 1).slice(0, 80);
    if (!WORD_HINT.test(last) || n.startsWith("process.env.") || /^[A-Z0-9_]+$/.test(last)) return false;
    return nameParts(last).some((w) => PASSWORD_WORDS.has(w));
  });
}

/** `passwordHash`, `hashed_password`; not `passwordResetToken`. */
function isPasswordDestination(name: string): boolean {
  if (!WORD_HINT.test(name)) return false;
  const parts = nameParts(name.slice(0, 80));
  return parts.some((w) => PASSWORD_WORDS.has(w)) && !parts.some((w) => NOT_A_PASSWORD.has(w));
}

/** "SHA-256" → "sha256". */
function digestName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const fmt = (n: number) => n.toLocaleString("en-US");

export default createRule({
  id: "weak-password-hash",
  meta: {
    title: "Password hash too fast (low bcrypt/Argon2/PBKDF2/scrypt cost, or SHA-2)",
    description:
      "Finds password hashing whose cost is below the OWASP Password Storage Cheat Sheet's minimums: bcrypt cost under 10, Argon2 memory/time under OWASP's table, PBKDF2 under 600,000 iterations (SHA-256; 1,300,000 for SHA-1, 210,000 for SHA-512), scrypt N under 2^17, or a fast SHA-2 digest. A leaked password table is then cracked quickly, so PCI DSS 8.3.2's strong cryptography for stored passwords is not met.",
    severity: "medium",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-916", "CWE-327"],
    owasp: ["A02:2021"],
    pci: ["8.3.2", "3.6.1"],
    remediation:
      "Raise the work factor to OWASP's minimums (Argon2id m=19 MiB t=2 p=1; scrypt N=2^17 r=8 p=1 with maxmem raised; bcrypt cost 10 or more; PBKDF2-HMAC-SHA256 600,000 iterations) and re-hash each stored password at its owner's next successful login.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
      "https://cwe.mitre.org/data/definitions/916.html",
      "https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver",
      "https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback",
    ],
    tags: ["security", "crypto", "password"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !MENTIONS.test(ctx.file.text)) return {};
    const bindings = ctx.shared.bindings;
    const numbers = ctx.shared.constants;
    const hashes = SLOW_KDF.test(ctx.file.text) || !PASSWORD_HINT.test(ctx.file.text) ? null : ctx.shared.hashCalls;
    const report = (node: JsNode, message: string, severity?: Report["severity"], confidence?: Report["confidence"]) => {
      ctx.report({ start: node.start, end: node.end, message, ...(severity ? { severity } : {}), ...(confidence ? { confidence } : {}) });
    };
    const num = (node: JsNode | undefined) => numbers.number(node);
    const options = (node: JsNode | undefined) => numbers.object(node);

    const bcrypt = (call: JsNode, name: string) => {
      const at = BCRYPT_COST_ARG.get(name)!;
      const arg = call.arguments[at];
      // `hash(pw, salt)` with a salt string: the cost was chosen by genSalt.
      const cost = num(arg);
      if (cost === null || cost >= 10 || cost < 1) return;
      report(
        unwrap(arg),
        `bcrypt cost ${cost} is below OWASP's minimum of 10: each guess is ${2 ** (10 - cost)} times cheaper than at cost 10. Use a cost of 10 or more (12 is common).`,
        cost < 8 ? "high" : "medium",
      );
    };

    const argon2 = (call: JsNode) => {
      const opts = options(call.arguments[1]);
      if (!opts) return;
      const memory = num(opts.get("memoryCost"));
      const time = num(opts.get("timeCost"));
      if (memory === null && time === null) return;
      const m = memory ?? 65_536;
      const t = time ?? 3;
      const needed = ARGON2_TABLE.find(([mem]) => m >= mem)?.[1];
      if (needed !== undefined && t >= needed) return;
      // Inline options: at the weak value; options from a constant: at the argument that passes them.
      const inline = unwrap(call.arguments[1]).type === "ObjectExpression";
      const where = !inline ? unwrap(call.arguments[1]) : memory !== null ? opts.get("memoryCost")! : opts.get("timeCost")!;
      report(
        where,
        `Argon2 with memoryCost ${fmt(m)} KiB and timeCost ${t} is below OWASP's table (19,456 KiB with t=2, or 7,168 KiB with t=5 at the least). Use the library defaults or OWASP's parameters.`,
      );
    };

    const pbkdf2 = (node: JsNode, iterationsNode: JsNode | undefined, digestNode: JsNode | undefined) => {
      const iterations = num(iterationsNode);
      const digestText = bindings.stringValue(digestNode) ?? (digestNode ? null : "sha1");
      if (iterations === null || digestText === null) return;
      const digest = digestName(digestText);
      const minimum = PBKDF2_MINIMUM.get(digest) ?? (digest === "md5" ? PBKDF2_MINIMUM.get("sha1")! : null);
      if (minimum === null || iterations >= minimum) return;
      const legacy = iterations >= PBKDF2_LEGACY_FLOOR;
      report(
        unwrap(iterationsNode!),
        `PBKDF2-${digestText.toUpperCase()} with ${fmt(iterations)} iterations is below OWASP's ${fmt(minimum)}${legacy ? "" : " (and below the 10,000 that older guidance already required)"}. Raise the count, or move to Argon2id or scrypt, re-hashing at next login.`,
        legacy ? "medium" : "high",
      );
    };

    const scrypt = (input: JsNode | undefined, n: number | null, r: number | null, p: number | null, at: JsNode, implicit: boolean) => {
      const N = n ?? NODE_SCRYPT_DEFAULT_N;
      const R = r ?? 8;
      const P = p ?? 1;
      const log2 = Math.log2(Math.max(1, (N * R) / 8));
      const needed = SCRYPT_TABLE.find(([bits]) => log2 >= bits)?.[1];
      if (needed !== undefined && P >= needed) return;
      if (implicit) {
        if (!namesUserPassword(input)) return;
        report(
          at,
          `scrypt with Node's default cost (N=16384, r=8, p=1) hashes this password below OWASP's minimum (N=2^17 with r=8, p=1). Pass { N: 131072, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }.`,
          "low",
          "medium",
        );
        return;
      }
      report(at, `scrypt with N=${fmt(N)}, r=${R}, p=${P} is below OWASP's minimum (N=2^17 with r=8, p=1, or p=5 at N=2^14). Raise N (and maxmem) or p.`);
    };

    const onCall = (node: JsNode) => {
      const callee = unwrap(node.callee);
      const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
      if (method === null) return;
      const resolved = bindings.resolve(node.callee);
      if (!resolved) return;
      const { module, names } = resolved;
      const last = names[names.length - 1] ?? "";
      const root = module === null ? (names[0] ?? "") : "";
      if (
        BCRYPT_COST_ARG.has(last) &&
        (module !== null ? BCRYPT_MODULES.has(module) && names.length <= 2 : names.length === 2 && /^bcrypt(?:js)?$/i.test(root))
      ) {
        bcrypt(node, last);
      } else if (last === "hash" && (module !== null ? ARGON2_MODULES.has(module) : names.length === 2 && root === "argon2")) {
        argon2(node);
      } else if ((last === "pbkdf2" || last === "pbkdf2Sync") && (module !== null ? NODE_CRYPTO.has(module) : root === "crypto")) {
        pbkdf2(node, node.arguments[2], node.arguments[4]);
      } else if (last === "deriveBits" || last === "deriveKey") {
        const algo = options(node.arguments[0]);
        if (!algo || bindings.stringValue(algo.get("name"))?.toUpperCase() !== "PBKDF2") return;
        const hash = algo.get("hash");
        const hashObject = options(hash);
        pbkdf2(node, algo.get("iterations"), hashObject ? hashObject.get("name") : hash);
      } else if ((last === "scrypt" || last === "scryptSync") && (module !== null ? NODE_CRYPTO.has(module) : root === "crypto")) {
        const opts = options(node.arguments[3]);
        const optsNode = node.arguments[3] && unwrap(node.arguments[3]).type === "ObjectExpression" ? unwrap(node.arguments[3]) : null;
        const get = (...keys: string[]) => {
          for (const k of keys) if (opts?.has(k)) return opts.get(k)!;
          return undefined;
        };
        const nNode = get("N", "cost");
        const explicit = nNode !== undefined;
        // A callback or an options object we cannot read: only the bare default is judged.
        if (!explicit && node.arguments[3] && !optsNode && !FUNCTION_LIKE.has(unwrap(node.arguments[3]).type)) return;
        scrypt(
          node.arguments[0],
          num(nNode),
          num(get("r", "blockSize")),
          num(get("p", "parallelization")),
          explicit ? unwrap(optsNode ? nNode : node.arguments[3]!) : node,
          !explicit,
        );
      } else if (module === "scrypt-js" && (last === "scrypt" || last === "syncScrypt" || names.length === 0)) {
        const n = num(node.arguments[2]);
        if (n === null) return;
        scrypt(node.arguments[0], n, num(node.arguments[3]), num(node.arguments[4]), unwrap(node.arguments[2]), false);
      }
    };

    return {
      js: { CallExpression: onCall },
      end() {
        // SHA-2/SHA-3 over a password with no slow hash in the file: the stored form is a fast digest.
        for (const use of hashes?.uses ?? []) {
          if (use.kind !== "hash" || !FAST_DIGEST.test(use.normalised)) continue;
          const named = use.inputs.some((i) => namesUserPassword(i)) || use.destinations.some((d) => isPasswordDestination(d));
          if (!named) continue;
          report(
            use.call,
            `${use.algorithm.slice(0, 20).toUpperCase()} hashes a password: a fast digest lets one GPU test billions of guesses a second, salted or not. Store passwords with Argon2id, scrypt or bcrypt.`,
            "medium",
            "medium",
          );
        }
      },
    };
  },
});

const FUNCTION_LIKE = new Set(["FunctionExpression", "ArrowFunctionExpression"]);
