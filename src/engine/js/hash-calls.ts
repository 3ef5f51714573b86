/**
 * Finds the hash computations in a JS/TS file and what they hash, for the rules that judge
 * them (weak-hash-algorithm, unkeyed-card-hash). A hash is recognised where its algorithm is
 * chosen — Node's `createHash` / `createHmac` / `createSign` / `hash` / `sign`, Web Crypto's
 * `subtle.digest`, crypto-js, and the md5/sha1/js-sha256/@noble one-call libraries — and is then
 * followed to the data it hashes (`.update(x)` on the chain or on the variable holding the hash
 * object) and to the names its result goes to (`const passwordHash = …`, `res.setHeader("ETag",
 * digest)`, the enclosing function's name). Judging those names is left to the rules.
 */
import type { JsNode } from "../parse/js";
import type { JsListener } from "../rule";
import { type AncestorTrail, FUNCTION_TYPES, functionName, placeNames } from "./ancestor-trail";
import type { FileBindings, ResolvedCallee } from "./file-bindings";
import { propertyName, unwrap } from "./node-values";

/** "hash": an unkeyed digest; "hmac": a keyed one; "signature": a digest inside a signature. */
export type HashKind = "hash" | "hmac" | "signature";

export interface HashUse {
  /** The call that chooses the algorithm (findings point here). */
  call: JsNode;
  /** The algorithm as written: "md5", "SHA-1", "RSA-SHA1". */
  algorithm: string;
  /** Lower-case letters and digits only: "sha1", "rsasha1". */
  normalised: string;
  kind: HashKind;
  /** Expressions whose values are hashed. */
  inputs: JsNode[];
  /** Names the result or the hash object goes to, and words of the places it is used. */
  destinations: string[];
  /** Names of the enclosing functions, innermost first. */
  functions: string[];
}

/** Lower-case alphanumerics of an algorithm name: "SHA-1" → "sha1", "RSA-SHA1" → "rsasha1". */
export function normaliseAlgorithm(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const FACTORIES = new Map<string, HashKind>([
  ["createHash", "hash"],
  ["createHmac", "hmac"],
  ["createSign", "signature"],
  ["createVerify", "signature"],
]);

/** Modules whose default export hashes its argument with a fixed algorithm. */
const ONE_CALL_MODULES = new Map([
  ["md5", "md5"],
  ["blueimp-md5", "md5"],
  ["js-md5", "md5"],
  ["md5-hex", "md5"],
  ["sha1", "sha1"],
  ["js-sha1", "sha1"],
  ["crypto-js/md5", "MD5"],
  ["crypto-js/sha1", "SHA1"],
  ["crypto-js/sha256", "SHA256"],
  ["crypto-js/sha512", "SHA512"],
]);

/** Named exports of hash libraries that hash their first argument. */
const NAMED_DIGESTS = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "ripemd160"]);
const NAMED_DIGEST_MODULES = new Set([
  "js-sha256",
  "js-sha512",
  "@noble/hashes/sha256",
  "@noble/hashes/sha2",
  "@noble/hashes/sha512",
  "@noble/hashes/legacy",
  "@noble/hashes/sha1",
]);

/** Method names a hash-choosing member call ends with (besides NAMED_DIGESTS and crypto-js digests). */
const HASH_METHODS = new Set([...FACTORIES.keys(), "hash", "sign", "verify", "digest", "hmac"]);

const CRYPTO_JS_DIGEST = /^(?:Hmac)?(?:MD5|SHA1|SHA224|SHA256|SHA384|SHA512|SHA3|RIPEMD160)$/;

/** The ancestors the collector follows a hash through (ask SharedTrackers for a trail of these). */
export const HASH_CALL_ANCESTORS = [
  "CallExpression",
  "NewExpression",
  "VariableDeclarator",
  "AssignmentExpression",
  "Property",
  "PropertyDefinition",
  "ReturnStatement",
];

interface Identified {
  algorithm: string;
  kind: HashKind;
  inputs: JsNode[];
  /** True when the call returns a hash object that needs update()/digest(). */
  factory: boolean;
}

/**
 * Collects HashUses during the walk; read `uses` in the rule's `end()` listener. Get it from
 * SharedTrackers (`ctx.shared.hashCalls`), which runs the bindings' and the trail's listeners
 * before this one's.
 */
export class HashCallCollector {
  readonly uses: HashUse[] = [];
  readonly listeners: Record<string, JsListener> = {
    CallExpression: (node, parent) => this.onCall(node, parent),
    Identifier: (node, parent) => this.onIdentifier(node, parent),
  };
  /** Variables holding a hash object (`const h = createHash("sha1")`). */
  private readonly objects = new Map<string, HashUse>();
  /** Variables holding a finished digest (`const etag = md5(body)`). */
  private readonly results = new Map<string, HashUse>();
  /** A callee's names resolved through imports, for placeNames(). */
  private readonly calleeNames = (callee: JsNode): readonly string[] => this.bindings.resolve(callee)?.names ?? [];

  constructor(
    private readonly bindings: FileBindings,
    /** A trail of HASH_CALL_ANCESTORS. */
    private readonly trail: AncestorTrail,
  ) {}

  private onCall(node: JsNode, parent: JsNode | null): void {
    const callee = unwrap(node.callee);
    if (callee.type === "MemberExpression" && callee.object.type === "Identifier") {
      const held = this.objects.get(callee.object.name);
      if (held) {
        const method = propertyName(callee);
        if (method === "update") held.inputs.push(...node.arguments);
        else if (method === "digest") this.follow(held, node, parent, true);
        return;
      }
    }
    const found = this.identify(node);
    if (!found) return;
    const use: HashUse = {
      call: node,
      algorithm: found.algorithm,
      normalised: normaliseAlgorithm(found.algorithm),
      kind: found.kind,
      inputs: found.inputs,
      destinations: [],
      functions: this.functionNames(),
    };
    this.uses.push(use);
    this.follow(use, node, parent, !found.factory);
  }

  /**
   * Climbs the method chain above `start` (`createHash(a).update(x).digest("hex")`), collecting
   * update() inputs, then records where the chain's value goes.
   */
  private follow(use: HashUse, start: JsNode, startParent: JsNode | null, digested: boolean): void {
    const { nodes, parents } = this.trail;
    let top = start;
    let topParent = startParent;
    let i = nodes.length - 2; // nodes[length - 1] is `start` itself
    while (i >= 0) {
      const node = nodes[i]!;
      if (node.type !== "CallExpression") break;
      const callee = unwrap(node.callee);
      if (callee.type !== "MemberExpression" || unwrap(callee.object) !== top) break;
      const method = propertyName(callee);
      if (method === "update") use.inputs.push(...node.arguments);
      if (method === "digest") digested = true;
      top = node;
      topParent = parents[i]!;
      i--;
    }
    if (topParent?.type === "VariableDeclarator" && topParent.id.type === "Identifier") {
      (digested ? this.results : this.objects).set(topParent.id.name, use);
    }
    use.destinations.push(...this.destinationNames(i));
  }

  /** Names from the two nearest naming ancestors at or below frame `i`, stopping at a function. */
  private destinationNames(i: number): string[] {
    const out: string[] = [];
    let found = 0;
    for (let j = i; j >= 0 && found < 2; j--) {
      const node = this.trail.nodes[j]!;
      if (FUNCTION_TYPES.has(node.type)) break;
      const names = placeNames(node, null, this.calleeNames);
      if (names.length > 0) {
        out.push(...names);
        found++;
      }
    }
    return out;
  }

  private functionNames(): string[] {
    const out: string[] = [];
    const { nodes, parents } = this.trail;
    for (let j = nodes.length - 1; j >= 0 && out.length < 3; j--) {
      const node = nodes[j]!;
      if (!FUNCTION_TYPES.has(node.type)) continue;
      const name = functionName(node, parents[j]!);
      if (name) out.push(name);
    }
    return out;
  }

  /** Where a digest held in a variable is used: header names, keys, template text around it. */
  private onIdentifier(node: JsNode, parent: JsNode | null): void {
    if (this.results.size === 0 || !parent) return;
    const use = this.results.get(node.name);
    if (!use) return;
    switch (parent.type) {
      case "CallExpression":
      case "NewExpression":
        if (parent.arguments.includes(node)) use.destinations.push(...placeNames(parent, null, this.calleeNames));
        break;
      case "Property":
        if (parent.value === node) use.destinations.push(...placeNames(parent, null, this.calleeNames));
        break;
      case "AssignmentExpression":
        if (parent.right === node) use.destinations.push(...placeNames(parent, null, this.calleeNames));
        break;
      case "VariableDeclarator":
        if (parent.init === node) use.destinations.push(...placeNames(parent, null, this.calleeNames));
        break;
      case "TemplateLiteral":
        for (const q of parent.quasis) if (q.value.cooked) use.destinations.push(String(q.value.cooked).slice(0, 100));
        break;
      case "ReturnStatement": {
        const fn = this.trail.enclosingFunction();
        const name = fn >= 0 ? functionName(this.trail.nodes[fn]!, this.trail.parents[fn]!) : null;
        if (name) use.destinations.push(name);
        break;
      }
      default:
        break;
    }
  }

  private identify(node: JsNode): Identified | null {
    // Most calls are method calls that cannot choose a hash: skip them before resolving the callee.
    const callee = unwrap(node.callee);
    if (callee.type === "MemberExpression") {
      const method = propertyName(callee);
      if (method === null || !(HASH_METHODS.has(method) || NAMED_DIGESTS.has(method) || CRYPTO_JS_DIGEST.test(method))) return null;
    } else if (callee.type === "Identifier" && !FACTORIES.has(callee.name) && this.bindings.moduleOf(callee.name) === null) {
      return null; // a plain function call: only imported hash functions and createHash & co. choose a hash
    }
    const resolved = this.bindings.resolve(node.callee);
    if (!resolved) return null;
    const args: JsNode[] = node.arguments;
    const last = resolved.names[resolved.names.length - 1];
    const factory = last === undefined ? undefined : FACTORIES.get(last);
    if (factory) {
      const algorithm = this.bindings.stringValue(args[0]);
      return algorithm === null ? null : { algorithm, kind: factory, inputs: [], factory: true };
    }
    if (isCryptoFunction(resolved, "hash") || isCryptoFunction(resolved, "sign") || isCryptoFunction(resolved, "verify")) {
      const algorithm = this.bindings.stringValue(args[0]);
      if (algorithm === null) return null;
      return { algorithm, kind: last === "hash" ? "hash" : "signature", inputs: args.slice(1, 2), factory: false };
    }
    const n = resolved.names.length;
    if (n >= 2 && resolved.names[n - 2] === "subtle" && last === "digest") {
      const algorithm = this.webCryptoAlgorithm(args[0]);
      return algorithm === null ? null : { algorithm, kind: "hash", inputs: args.slice(1, 2), factory: false };
    }
    return this.libraryDigest(resolved, args);
  }

  /** "SHA-1" or { name: "SHA-1" }. */
  private webCryptoAlgorithm(arg: JsNode | undefined): string | null {
    if (!arg) return null;
    const s = this.bindings.stringValue(arg);
    if (s !== null) return s;
    const n = unwrap(arg);
    if (n.type !== "ObjectExpression") return null;
    const name = n.properties.find((p: JsNode) => p.type === "Property" && propertyName(p) === "name");
    return name ? this.bindings.stringValue(name.value) : null;
  }

  private libraryDigest(resolved: ResolvedCallee, args: JsNode[]): Identified | null {
    const { module, names } = resolved;
    const input = args.length > 0 ? [args[0]!] : [];
    const oneCall = module !== null && names.length === 0 ? ONE_CALL_MODULES.get(module) : undefined;
    if (oneCall) return { algorithm: oneCall, kind: "hash", inputs: input, factory: false };
    const cryptoJs =
      module === "crypto-js" && names.length === 1 ? names[0]! : module === null && names.length === 2 && names[0] === "CryptoJS" ? names[1]! : null;
    if (cryptoJs !== null && CRYPTO_JS_DIGEST.test(cryptoJs)) {
      const hmac = cryptoJs.startsWith("Hmac");
      return { algorithm: hmac ? cryptoJs.slice(4) : cryptoJs, kind: hmac ? "hmac" : "hash", inputs: input, factory: false };
    }
    if (module !== null && NAMED_DIGEST_MODULES.has(module)) {
      // js-sha256's default export is sha256 itself; named exports pick the digest.
      let digest = module.startsWith("js-") ? module.slice(3) : null;
      let rest = names;
      if (rest.length > 0 && NAMED_DIGESTS.has(rest[0]!)) {
        digest = rest[0]!;
        rest = rest.slice(1);
      }
      if (digest === null) return null;
      if (rest.length === 0) return { algorithm: digest, kind: "hash", inputs: input, factory: false };
      if (rest.length === 1 && rest[0] === "hmac") return { algorithm: digest, kind: "hmac", inputs: args.slice(1, 2), factory: false };
    }
    return null;
  }
}

/** `crypto.hash(...)` with `crypto` imported or global. */
function isCryptoFunction(r: ResolvedCallee, name: string): boolean {
  if (r.module === "crypto") return r.names.length === 1 && r.names[0] === name;
  return r.module === null && r.names.length === 2 && r.names[0] === "crypto" && r.names[1] === name;
}
