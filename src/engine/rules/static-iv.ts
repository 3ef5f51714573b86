/**
 * An IV or nonce that is the same for every message: zero-filled (`Buffer.alloc(16)`, `new
 * Uint8Array(12)`), a literal, a module-level constant (even `randomBytes(16)` run once at
 * start-up), a value read from configuration (`process.env.ENCRYPTION_IV`), or the key itself
 * (`iv = key`, `key.subarray(0, 16)`). Under CBC, equal plaintext prefixes then give equal
 * ciphertext; under GCM and CTR the keystream repeats, which reveals the XOR of two plaintexts
 * and, for GCM, lets an attacker forge authentication tags (CWE-329, CWE-323, CWE-1204). PCI DSS
 * 3.6/3.7 and 6.2.4 expect keys and their parameters to be used the way the algorithm requires.
 *
 * Covered: Node's `createCipheriv(alg, key, iv)`, Web Crypto's `subtle.encrypt({ name:
 * "AES-GCM" | "AES-CBC", iv } / { name: "AES-CTR", counter })`, crypto-js `AES.encrypt(m, k, {
 * iv })`, node-forge `cipher.start({ iv })`. Decryption calls are left alone (the encrypting side is the defect, and reading old
 * data with its stored IV is normal). An IV that is a parameter of the enclosing function is the
 * caller's choice and is not judged. ECB takes no IV (weak-cipher reports ECB). Test files are
 * skipped.
 */
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { literalString, memberChain, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type Report } from "../rule";

const NODE_CRYPTO = new Set(["crypto", "crypto-browserify", "browserify-cipher"]);
/** Modes where a repeated IV repeats the keystream (GCM also loses its authentication). */
const STREAM_MODE = /(?:^|-)(?:ctr|gcm|ccm|ocb|ofb|cfb[0-9]*)$|^chacha20/i;
/** Every call this rule judges: createCipheriv, subtle.encrypt / AES.encrypt, forge's cipher.start. */
const MENTIONS = /createCipheriv|\.encrypt\(|\bforge\b/;
/** Byte-array constructors whose `new X(n)` is zero-filled. */
const TYPED_ARRAYS = new Set(["Uint8Array", "Uint16Array", "Uint32Array", "Int8Array", "ArrayBuffer"]);
/** Calls that make fresh random bytes (at module level: once per process). */
const RANDOM_CALLS = new Set(["randomBytes", "getRandomValues", "randomFillSync", "randomUUID", "random", "lib.WordArray.random"]);

/** Why an IV expression is the same on every call, or null. */
type Why = { what: string; confidence: Report["confidence"] } | null;

export default createRule({
  id: "static-iv",
  meta: {
    title: "Static or reused IV / nonce",
    description:
      "Finds encryption whose IV or nonce is the same for every message: zero-filled buffers, literals, module-level constants, values read from configuration, or the key itself. Under CBC equal plaintexts give equal ciphertexts; under GCM and CTR the keystream repeats, revealing plaintext and, for GCM, letting attackers forge ciphertexts. Card data encrypted so is not protected with strong cryptography (PCI DSS 3.5.1, 3.6, 6.2.4).",
    severity: "high",
    confidence: "high",
    category: "crypto",
    cwe: ["CWE-329", "CWE-323", "CWE-1204"],
    owasp: ["A02:2021"],
    pci: ["3.5.1", "3.6.1", "6.2.4"],
    remediation:
      "Generate a fresh random IV for every message inside the encrypting function (crypto.randomBytes(12) for AES-GCM, 16 for CBC) and store it beside the ciphertext (it is not secret); never derive it from the key or keep it in configuration. Re-encrypt data written with the fixed IV.",
    references: [
      "https://cwe.mitre.org/data/definitions/329.html",
      "https://cwe.mitre.org/data/definitions/1204.html",
      "https://csrc.nist.gov/pubs/sp/800/38/d/final",
      "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
    ],
    tags: ["security", "crypto"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (isTestPath(ctx.file.path) || !MENTIONS.test(ctx.file.text)) return {};
    const bindings = ctx.shared.bindings;
    const trail = ctx.shared.trail([]);
    const forge = /\bforge\b/.test(ctx.file.text);
    /** Initialisers by declaring function (its start; -1: the module) and name; null once bound twice or reassigned. */
    const inits = new Map<string, { init: JsNode; moduleLevel: boolean } | null>();
    /** Starts of the enclosing functions, innermost first, then -1 for the module. */
    const scopes = (): number[] => {
      const out: number[] = [];
      for (let i = trail.nodes.length - 1; i >= 0; i--) if (FUNCTION_TYPES.has(trail.nodes[i]!.type)) out.push(trail.nodes[i]!.start);
      out.push(-1);
      return out;
    };
    const visibleKey = (name: string, within: readonly number[]): string | null => {
      for (const scope of within) if (inits.has(`${scope}:${name}`)) return `${scope}:${name}`;
      return null;
    };

    /** Parameter names of the enclosing functions. */
    const enclosingParams = (): Set<string> => {
      const out = new Set<string>();
      for (let i = trail.nodes.length - 1; i >= 0; i--) {
        const fn = trail.nodes[i]!;
        if (!FUNCTION_TYPES.has(fn.type)) continue;
        for (const p of fn.params) collectNames(p, out);
      }
      return out;
    };

    const judge = (ivNode: JsNode, keyNode: JsNode | undefined, params: ReadonlySet<string>, within: readonly number[], depth = 0): Why => {
      const n = unwrap(ivNode);
      if (depth > 4) return null;
      const keyText = keyNode ? sourceOf(ctx.file.text, unwrap(keyNode)) : null;
      const text = sourceOf(ctx.file.text, n);
      if (keyText !== null && text !== null && (text === keyText || derivesFrom(n, keyText, ctx.file.text)))
        return { what: "is the key itself (an IV must be unpredictable and never tied to the key)", confidence: "high" };
      const literal = literalString(n);
      // An empty IV is what IV-less ciphers (RC4, ECB) are given.
      if (literal !== null) return literal === "" ? null : { what: "is a string literal", confidence: "high" };
      if (n.type === "ArrayExpression")
        return n.elements.every((e: JsNode | null) => e && unwrap(e).type === "Literal") ? { what: "is a literal byte array", confidence: "high" } : null;
      if (n.type === "NewExpression" && unwrap(n.callee).type === "Identifier" && TYPED_ARRAYS.has(unwrap(n.callee).name)) {
        const arg = n.arguments[0] ? unwrap(n.arguments[0]) : null;
        if (arg && arg.type === "Literal" && typeof arg.value === "number")
          return { what: `is a zero-filled ${unwrap(n.callee).name}(${arg.value})`, confidence: "high" };
        if (arg && arg.type === "ArrayExpression") return judge(arg, keyNode, params, within, depth + 1);
        return null;
      }
      if (n.type === "CallExpression") {
        const chain = memberChain(n.callee);
        const names = chain ? [chain.root.type === "Identifier" ? chain.root.name : "", ...chain.names] : [];
        const last = names[names.length - 1] ?? "";
        const dotted = names.join(".");
        if (dotted === "Buffer.alloc" || dotted === "Buffer.allocUnsafe") {
          return n.arguments.length >= 1 && dotted === "Buffer.alloc" && (n.arguments.length === 1 || unwrap(n.arguments[1]).type === "Literal")
            ? { what: `is ${sourceOf(ctx.file.text, n)?.slice(0, 40) ?? "Buffer.alloc(n)"}, the same bytes every time`, confidence: "high" }
            : null;
        }
        // Buffer.from(x, enc), TextEncoder().encode(x), CryptoJS.enc.Hex.parse(x): as fixed as x.
        if (
          dotted === "Buffer.from" ||
          last === "encode" ||
          (last === "parse" && names.includes("enc")) ||
          dotted === "Uint8Array.from" ||
          (names.includes("util") && (last === "hexToBytes" || last === "decode64" || last === "createBuffer"))
        ) {
          return n.arguments[0] ? judge(n.arguments[0], keyNode, params, within, depth + 1) : null;
        }
        return null;
      }
      if (n.type === "MemberExpression") {
        const chain = memberChain(n);
        if (chain && chain.root.type === "Identifier" && chain.root.name === "process" && chain.names[0] === "env")
          return {
            what: `is read from configuration (${chain.names.slice(1).join(".").slice(0, 40)}), so it is the same for every message`,
            confidence: "medium",
          };
        const names = chain ? chain.names : [];
        if (
          chain &&
          chain.root.type === "Identifier" &&
          /^(?:config|conf|settings|env|cfg)$/i.test(chain.root.name) &&
          /^(?:iv|nonce|initializationVector|encryptionIv|ivHex)$/i.test(names[names.length - 1] ?? "")
        ) {
          return {
            what: `is read from configuration (${[chain.root.name, ...names].join(".").slice(0, 40)}), so it is the same for every message`,
            confidence: "medium",
          };
        }
        return null;
      }
      if (n.type === "Identifier") {
        if (params.has(n.name)) return null;
        const key = visibleKey(n.name, within);
        const bound = key === null ? null : inits.get(key);
        if (!bound) return null;
        const inner = judge(bound.init, keyNode, params, within, depth + 1);
        if (inner) return { what: `(\`${n.name}\`) ${inner.what}`, confidence: inner.confidence };
        if (bound.moduleLevel && isRandomCall(bound.init))
          return { what: `(\`${n.name}\`) is random but made once at module load, so every message of the process reuses it`, confidence: "high" };
        return null;
      }
      return null;
    };

    /** Encrypting calls, judged at the end of the file when every binding is known. */
    const pending: Array<{ iv: JsNode; key: JsNode | undefined; algorithm: string | null; api: string; params: Set<string>; within: number[] }> = [];
    const reportIv = (iv: JsNode, key: JsNode | undefined, algorithm: string | null, api: string) => {
      pending.push({ iv, key, algorithm, api, params: enclosingParams(), within: scopes() });
    };
    const judgeIv = ({ iv: ivNode, key: keyNode, algorithm, api, params, within }: (typeof pending)[number]) => {
      const why = judge(ivNode, keyNode, params, within);
      if (!why) return;
      const stream = algorithm !== null && STREAM_MODE.test(algorithm);
      const cbc = algorithm !== null && !stream;
      ctx.report({
        start: unwrap(ivNode).start,
        end: unwrap(ivNode).end,
        severity: stream ? "high" : "medium",
        confidence: why.confidence,
        message: `The IV passed to ${api}${algorithm ? ` (${algorithm.slice(0, 30)})` : ""} ${why.what}: ${stream ? "in this mode a repeated nonce repeats the keystream, which exposes the plaintexts and (GCM) lets tags be forged" : cbc ? "equal plaintexts encrypt to equal ciphertexts, leaking which records match" : "a repeated IV leaks which messages are equal and, in stream modes, the plaintext"}. Use a fresh crypto.randomBytes IV per message.`,
      });
    };

    const onCall = (node: JsNode) => {
      const callee = unwrap(node.callee);
      const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
      // node-forge: cipher.start({ iv }) on a cipher from forge.cipher.createCipher(…).
      if (method === "start" && forge && node.arguments.length === 1) {
        const opts = unwrap(node.arguments[0]);
        const iv = opts.type === "ObjectExpression" ? objectProps(opts).get("iv") : undefined;
        if (iv) reportIv(iv, undefined, null, "forge cipher.start");
        return;
      }
      if (method !== "createCipheriv" && method !== "encrypt") return;
      const resolved = bindings.resolve(node.callee);
      if (!resolved) return;
      const { module, names } = resolved;
      const last = names[names.length - 1];
      if (last === "createCipheriv" && (module !== null ? NODE_CRYPTO.has(module) : names[0] === "crypto")) {
        const algorithm = bindings.stringValue(node.arguments[0]);
        if (algorithm !== null && /(?:^|-)ecb$/i.test(algorithm)) return;
        const iv = node.arguments[2];
        if (iv && !isNullish(iv)) reportIv(iv, node.arguments[1], algorithm, "createCipheriv");
      } else if (last === "encrypt" && names[names.length - 2] === "subtle") {
        const algo = unwrap(node.arguments[0] ?? node);
        if (algo.type !== "ObjectExpression") return;
        const props = objectProps(algo);
        const name = bindings.stringValue(props.get("name"));
        if (name === null) return;
        const iv = props.get("iv") ?? props.get("counter");
        if (iv) reportIv(iv, node.arguments[1], name.toUpperCase(), "subtle.encrypt");
      } else if (last === "encrypt" && names[names.length - 2] === "AES" && (module === "crypto-js" || names[0] === "CryptoJS")) {
        const opts = node.arguments[2] ? unwrap(node.arguments[2]) : null;
        const iv = opts?.type === "ObjectExpression" ? objectProps(opts).get("iv") : undefined;
        if (iv) reportIv(iv, node.arguments[1], null, "CryptoJS.AES.encrypt");
      }
    };

    return {
      js: {
        VariableDeclarator(node, parent) {
          if (node.id.type !== "Identifier" || !node.init) return;
          const at = trail.enclosingFunction();
          const moduleLevel = at < 0;
          if (!moduleLevel && parent?.kind !== "const") return;
          const key = `${moduleLevel ? -1 : trail.nodes[at]!.start}:${node.id.name}`;
          inits.set(key, inits.has(key) ? null : { init: unwrap(node.init), moduleLevel });
        },
        AssignmentExpression(node) {
          // A name given a new value somewhere is not a constant.
          const left = unwrap(node.left);
          const key = left.type === "Identifier" ? visibleKey(left.name, scopes()) : null;
          if (key !== null) inits.set(key, null);
        },
        CallExpression: onCall,
      },
      end() {
        for (const p of pending) judgeIv(p);
      },
    };
  },
});

function isNullish(node: JsNode): boolean {
  const n = unwrap(node);
  return (n.type === "Literal" && n.value === null) || (n.type === "Identifier" && n.name === "undefined");
}

/** `crypto.randomBytes(16)`, `randomBytes(16).toString("hex")`, `crypto.getRandomValues(new Uint8Array(12))`. */
function isRandomCall(node: JsNode, depth = 0): boolean {
  const n = unwrap(node);
  if (n.type !== "CallExpression" || depth > 3) return false;
  const callee = unwrap(n.callee);
  const chain = memberChain(callee);
  const names = chain ? chain.names : [];
  const last = callee.type === "Identifier" ? callee.name : (names[names.length - 1] ?? "");
  if (RANDOM_CALLS.has(last)) return true;
  return callee.type === "MemberExpression" && isRandomCall(callee.object, depth + 1);
}

function objectProps(node: JsNode): Map<string, JsNode> {
  const out = new Map<string, JsNode>();
  for (const p of node.properties) {
    const key = p.type === "Property" ? propertyName(p) : null;
    if (key !== null) out.set(key, p.value);
  }
  return out;
}

/** The names a parameter pattern binds. */
function collectNames(p: JsNode, out: Set<string>, depth = 0): void {
  if (!p || depth > 6) return;
  if (p.type === "Identifier") out.add(p.name);
  else if (p.type === "AssignmentPattern") collectNames(p.left, out, depth + 1);
  else if (p.type === "RestElement") collectNames(p.argument, out, depth + 1);
  else if (p.type === "ObjectPattern") for (const q of p.properties) collectNames(q.type === "Property" ? q.value : q, out, depth + 1);
  else if (p.type === "TSParameterProperty") collectNames(p.parameter, out, depth + 1);
  else if (p.type === "ArrayPattern") for (const q of p.elements) if (q) collectNames(q, out, depth + 1);
}

/** The source text of a short node (at most 200 characters), for comparing an IV with its key. */
function sourceOf(text: string, node: JsNode): string | null {
  return node.end - node.start <= 200 ? text.slice(node.start, node.end) : null;
}

/** `key.slice(0, 16)`, `key.subarray(0, 16)`, `Buffer.from(key).slice(0, 16)`: bytes of the key. */
function derivesFrom(node: JsNode, keyText: string, text: string): boolean {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return false;
  const callee = unwrap(n.callee);
  if (callee.type !== "MemberExpression" || !["slice", "subarray", "substring", "substr"].includes(propertyName(callee) ?? "")) return false;
  const object = unwrap(callee.object);
  const objectText = sourceOf(text, object);
  if (objectText === keyText) return true;
  return object.type === "CallExpression" && object.arguments.length > 0 && sourceOf(text, unwrap(object.arguments[0])) === keyText;
}
