/**
 * `Math.random()` used to make something secret: tokens, passwords, OTPs, nonces, salts, IVs,
 * session ids, API keys, reset links, payment and transaction ids. Math.random is a fast
 * non-cryptographic generator (xorshift128+ in V8) whose state can be recovered from a handful
 * of outputs, so its values can be predicted (CWE-338).
 *
 * The value's purpose comes from where it goes, read outwards from the call up to the enclosing
 * function: the nearest variable, property or assignment target, or call (`res.cookie("sid",
 * …)`), and finally the function's own name (`generateOtp`). The first name that says
 * something decides: a secret name reports; a harmless one (`delay`, `jitter`, `color`,
 * `tokenCount`, `sessionTimeout`) or a timer/animation call stops the search. Test files are
 * skipped.
 */
import { nameParts } from "../detect/secret-values";
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES, placeNames } from "../js/ancestor-trail";
import { memberChain, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";

const SECRET = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "passcode",
  "pin",
  "otp",
  "totp",
  "hotp",
  "nonce",
  "salt",
  "iv",
  "session",
  "sessionid",
  "sid",
  "csrf",
  "xsrf",
  "apikey",
  "credential",
  "credentials",
  "challenge",
  "verifier",
  "captcha",
]);

/** Words that make a trailing code/link/url/key/id/hash secret: `resetCode`, `inviteLink`, `verificationId`. */
const QUALIFIER = new Set([
  "reset",
  "verification",
  "verify",
  "confirm",
  "confirmation",
  "activation",
  "activate",
  "invite",
  "invitation",
  "magic",
  "recovery",
  "backup",
  "mfa",
  "2fa",
  "login",
  "auth",
  "sms",
  "unlock",
  "unsubscribe",
  "voucher",
  "coupon",
  "gift",
  "giftcard",
  "promo",
  "redeem",
  "redemption",
]);
const QUALIFIED = new Set(["code", "codes", "link", "url", "key", "id", "hash", "number", "digits"]);

const KEY_QUALIFIER = new Set([
  "api",
  "private",
  "secret",
  "access",
  "encryption",
  "signing",
  "session",
  "aes",
  "hmac",
  "crypto",
  "master",
  "license",
  "licence",
  "activation",
  "client",
  "shared",
  "auth",
]);

/** Identifiers an attacker should not guess (CWE-340): predictable ids allow enumeration. */
const ID_QUALIFIER = new Set(["transaction", "txn", "payment", "order", "invoice", "checkout", "refund", "charge", "merchant"]);
const ID_LAST = new Set(["id", "ids", "number", "no", "ref", "reference"]);

/** Last words that make a name a measurement or setting rather than the value: `tokenCount`, `sessionTimeout`. */
const BENIGN_LAST = new Set([
  "count",
  "length",
  "len",
  "size",
  "delay",
  "timeout",
  "interval",
  "ttl",
  "expiry",
  "expires",
  "expiration",
  "age",
  "ms",
  "seconds",
  "duration",
  "index",
  "idx",
  "limit",
  "max",
  "min",
  "attempts",
  "retries",
  "label",
  "name",
  "type",
  "color",
  "colour",
  "position",
  "offset",
  "width",
  "height",
  "ratio",
  "rate",
  "percent",
  "percentage",
  "weight",
  "score",
  "chance",
  "probability",
  "threshold",
  "field",
  "placeholder",
  "style",
  "class",
]);

/** Words that mark test or demo data, whatever else the name says. */
const TEST_DATA = new Set(["fake", "faker", "mock", "dummy", "demo", "example", "sample", "samples", "test", "placeholder", "skeleton"]);

/** Words anywhere that mark harmless randomness: timing, graphics, sampling, shuffling, UI keys, logging. */
const BENIGN_ANY = new Set([
  "sampling",
  "jitter",
  "backoff",
  "retry",
  "delay",
  "sleep",
  "wait",
  "timeout",
  "interval",
  "animation",
  "animate",
  "particle",
  "particles",
  "color",
  "colour",
  "hue",
  "rgb",
  "opacity",
  "alpha",
  "angle",
  "rotation",
  "rotate",
  "x",
  "y",
  "z",
  "left",
  "top",
  "scale",
  "speed",
  "velocity",
  "shuffle",
  "shuffled",
  "dice",
  "roll",
  "noise",
  "quote",
  "greeting",
  "tip",
  "avatar",
  "loading",
  "spinner",
  "chart",
  "experiment",
  "variant",
  "bucket",
  "canary",
  "rollout",
  "sort",
  "key",
  "keys",
  "element",
  "dom",
  "trace",
  "span",
  "correlation",
  "request",
  "debug",
  "log",
  "logger",
  "metric",
  "metrics",
]);

type Purpose = "secret" | "identifier" | "benign" | "neutral";

function isSecretName(parts: readonly string[]): boolean {
  const last = parts[parts.length - 1]!;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (SECRET.has(p) || p.endsWith("token") || p.endsWith("secret") || p.endsWith("password")) return true;
    if (p === "key" && i > 0 && KEY_QUALIFIER.has(parts[i - 1]!)) return true;
  }
  return QUALIFIED.has(last) && parts.some((p) => QUALIFIER.has(p));
}

/** What a name says about the random value it holds. */
function purposeOf(name: string): Purpose {
  const parts = nameParts(name.slice(0, 100));
  if (parts.length === 0) return "neutral";
  const last = parts[parts.length - 1]!;
  if (BENIGN_LAST.has(last) || parts.some((p) => TEST_DATA.has(p))) return "benign";
  if (isSecretName(parts)) return "secret";
  if (ID_LAST.has(last) && parts.some((p) => ID_QUALIFIER.has(p))) return "identifier";
  if (parts.some((p) => BENIGN_ANY.has(p))) return "benign";
  return "neutral";
}

/** A callee's names along its member chain, root included (no import resolution: Math.random needs none). */
function chainNames(callee: JsNode): string[] {
  const chain = memberChain(callee);
  return chain ? [...(chain.root.type === "Identifier" ? [chain.root.name] : []), ...chain.names] : [];
}

const TRACKED = ["VariableDeclarator", "AssignmentExpression", "Property", "PropertyDefinition", "CallExpression", "NewExpression"];

function isMathRandom(node: JsNode): boolean {
  const callee = unwrap(node.callee);
  if (callee.type !== "MemberExpression" || propertyName(callee) !== "random") return false;
  const object = unwrap(callee.object);
  if (object.type === "Identifier") return object.name === "Math";
  return object.type === "MemberExpression" && propertyName(object) === "Math";
}

export default createRule({
  id: "insecure-randomness",
  meta: {
    title: "Math.random() used to generate a secret",
    description:
      "Finds Math.random() producing tokens, passwords, OTPs, nonces, salts, session ids, API keys or payment identifiers. Math.random is not cryptographically secure: its internal state can be recovered from a few outputs and later values predicted, which PCI DSS 6.2.4 and OWASP A02 treat as a cryptographic failure.",
    severity: "high",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-338", "CWE-330"],
    owasp: ["A02:2021"],
    pci: ["6.2.4"],
    remediation:
      "Use a cryptographically secure generator: crypto.randomBytes(32).toString('base64url') or crypto.randomUUID() in Node, crypto.getRandomValues() in browsers and Workers, and crypto.randomInt() for numeric codes such as OTPs.",
    references: [
      "https://cwe.mitre.org/data/definitions/338.html",
      "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Math/random",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#secure-random-number-generation",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !ctx.file.text.includes("Math.random")) return {};
    const trail = ctx.shared.trail(TRACKED);
    const reported = new Set<JsNode>();
    return {
      js: {
        CallExpression(node) {
          if (!isMathRandom(node)) return;
          const { nodes, parents } = trail;
          for (let j = nodes.length - 2; j >= 0; j--) {
            const place = nodes[j]!;
            const parent = parents[j]!;
            const isFunction = FUNCTION_TYPES.has(place.type);
            for (const name of placeNames(place, parent, chainNames)) {
              const purpose = purposeOf(name);
              if (purpose === "neutral") continue;
              if (purpose === "benign" || reported.has(place)) return;
              reported.add(place);
              const viaFunction = isFunction ? " in function" : "";
              ctx.report({
                start: node.start,
                end: node.end,
                severity: purpose === "secret" ? "high" : "medium",
                confidence: purpose === "secret" && !isFunction ? "high" : "medium",
                message:
                  purpose === "secret"
                    ? `Math.random() generates a secret value${viaFunction} \`${name.slice(0, 60)}\`: it is not cryptographically secure and its output can be predicted. Use crypto.randomBytes(), crypto.randomUUID() or crypto.getRandomValues().`
                    : `Math.random() generates the identifier \`${name.slice(0, 60)}\`: predictable ids can be guessed and enumerated. Use crypto.randomUUID().`,
              });
              return;
            }
            if (isFunction) return;
          }
        },
      },
    };
  },
});
