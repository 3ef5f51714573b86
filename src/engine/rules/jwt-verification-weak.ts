/**
 * JSON Web Tokens trusted without a sound signature check:
 * - a decoded-but-unverified token deciding access: `jwt.decode()` (jsonwebtoken, NestJS
 *   JwtService), `jwtDecode()` (jwt-decode), jose's `decodeJwt()` / `UnsecuredJWT.decode()`,
 *   whose result is assigned to `req.user`, tested in an `if`, or returned from an auth function;
 * - `algorithms` that accept `none`, or mix HMAC with public-key algorithms (key confusion), and
 *   `algorithm: "none"` when signing;
 * - jsonwebtoken `verify(token, key)` with no `algorithms` pinned (high when the key looks like
 *   a public key, the classic RS256→HS256 confusion);
 * - `ignoreExpiration: true`, which makes stolen tokens valid forever;
 * - jsonwebtoken `sign()` of a literal payload with no `exp` claim and no `expiresIn`: tokens
 *   that never expire.
 *
 * Decisions: a decode in the same function as (or around) a verify call is taken as the usual
 * "read the header, pick the key, then verify" pattern and not reported, and so is a decode in a
 * route handler registered after an auth middleware. Browser-side decoders (jwt-decode, jose
 * decodeJwt) are only reported when the claims tested are roles or permissions, or the result
 * is returned from an authenticate/authorize/verify/guard function, since client code commonly
 * reads `exp` to refresh a session. jose's `jwtVerify` without `algorithms` is not reported: jose
 * checks the token's algorithm against the key's type (and a JWKS against its keys), so the
 * RS256→HS256 confusion jsonwebtoken allows does not arise. A `sign()` whose payload or options
 * are built elsewhere is not judged.
 */
import { nameParts } from "../detect/secret-values";
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES, functionName } from "../js/ancestor-trail";
import type { ResolvedCallee } from "../js/file-bindings";
import { literalString, memberChain, mentionedNames, propertyName, targetName, unwrap } from "../js/node-values";
import { createRule } from "../rule";

type CallKind = "decode" | "client-decode" | "verify" | "nest-verify" | "other-verify" | "sign" | null;

const JWT_ROOTS = new Set(["jwt", "jsonwebtoken", "JWT"]);

/** The last name of every call classify() recognises. */
const JWT_METHODS = new Set([
  "decode",
  "verify",
  "verifyAsync",
  "decodeJwt",
  "jwtVerify",
  "compactVerify",
  "jwtDecrypt",
  "flattenedVerify",
  "jwtDecode",
  "jwt_decode",
  "default",
  "sign",
]);

/** What a call does with a JWT. */
function classify(r: ResolvedCallee | null): CallKind {
  if (!r) return null;
  const { module, names } = r;
  const last = names[names.length - 1] ?? "";
  const prev = names[names.length - 2] ?? "";
  if (module === "jsonwebtoken" || (module === null && names.length === 2 && JWT_ROOTS.has(prev))) {
    return last === "decode" ? "decode" : last === "verify" ? "verify" : last === "sign" ? "sign" : null;
  }
  if (module === "jwt-decode") return names.length === 0 || last === "jwtDecode" || last === "default" ? "client-decode" : null;
  if (module === "jose" || (module === null && names[0] === "jose")) {
    if (last === "decodeJwt") return "client-decode";
    if (last === "decode" && prev === "UnsecuredJWT") return "decode";
    if (last === "jwtVerify" || last === "compactVerify" || last === "jwtDecrypt" || last === "flattenedVerify") return "other-verify";
    return null;
  }
  if (module === null && /^jwt_?service$/i.test(prev)) {
    if (last === "decode") return "decode";
    if (last === "verify" || last === "verifyAsync") return "nest-verify";
  }
  if (module === null && names.length === 1 && (last === "jwtDecode" || last === "jwt_decode")) return "client-decode";
  return null;
}

/** Function names that make their return value an authentication result. */
const AUTH_FUNCTION = /authenticat|authori[sz]|verify|validat|guard|canactivate|checkauth|requireauth|isauthenticated|isadmin|haspermission|hasrole/i;
const SERVER_USER_FUNCTION = /^(?:get)?(?:current)?user(?:from(?:token|request|req|header))?$|^(?:get)?(?:user|claims|principal|identity)fromtoken$/i;
/** Claims whose test is an authorization decision even in browser code. */
const ROLE_CLAIMS = new Set([
  "role",
  "roles",
  "admin",
  "isadmin",
  "scope",
  "scopes",
  "permission",
  "permissions",
  "group",
  "groups",
  "privileges",
  "entitlements",
  "tier",
]);
/** Names of auth middleware that verify the token before a handler runs. */
const AUTH_MIDDLEWARE = /auth|jwt|guard|protect|verify|ensure|require|session|passport/i;

interface DecodeUse {
  call: JsNode;
  client: boolean;
  /** Innermost enclosing function (or the module). */
  fn: JsNode | typeof MODULE;
  /** Every enclosing function, innermost first, then the module. */
  chain: Array<JsNode | typeof MODULE>;
  /** Why the result decides access, once known. */
  decision: string | null;
  /** Set when an auth middleware runs before the enclosing handler. */
  guarded: boolean;
}

const MODULE = Symbol("module");

const TRACKED = ["CallExpression", "IfStatement", "ConditionalExpression", "ReturnStatement", "AssignmentExpression", "VariableDeclarator"];

/** The call a value holds through `await`, `as T`, `!` and parentheses. */
function valueOf(node: JsNode | null | undefined): JsNode | null {
  if (!node) return null;
  let n = unwrap(node);
  while (n.type === "AwaitExpression") n = unwrap(n.argument);
  return n;
}

/** `req.user`, `request.auth`, `ctx.state.user`, `res.locals.claims`: where middleware puts the authenticated identity. */
function isAuthTarget(node: JsNode): boolean {
  const names = memberChain(node)?.names ?? [];
  return names.length > 0 && /^(?:user|auth|claims|principal|identity|currentUser)$/.test(names[names.length - 1]!);
}

/** Whether `inner` lies inside `outer`'s source range. */
function within(inner: JsNode, outer: JsNode | null | undefined): boolean {
  return !!outer && outer.start <= inner.start && inner.end <= outer.end;
}

export default createRule({
  id: "jwt-verification-weak",
  meta: {
    title: "JWT signature not verified or verification weakened",
    description:
      "Finds JSON Web Tokens trusted without a sound signature check: a decoded but unverified token used for access decisions, algorithms that accept 'none' or mix HMAC and public-key algorithms, jwt.verify without pinned algorithms, and ignoreExpiration: true. Forged or expired tokens are then accepted as proof of identity.",
    severity: "high",
    confidence: "medium",
    category: "crypto",
    cwe: ["CWE-347", "CWE-613"],
    owasp: ["A02:2021", "A07:2021"],
    pci: ["6.2.4"],
    remediation:
      "Verify every token before trusting its claims: jwt.verify(token, key, { algorithms: ['RS256'] }) (or jose's jwtVerify with a key of the expected type), pin the single algorithm you issue, never allow 'none', and keep expiry checks on. Use jwt.decode only to read the header before verifying.",
    references: [
      "https://cwe.mitre.org/data/definitions/347.html",
      "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html",
      "https://github.com/auth0/node-jsonwebtoken#jwtverifytoken-secretorpublickey-options-callback",
      "https://datatracker.ietf.org/doc/html/rfc8725",
    ],
    tags: ["security", "jwt", "authentication"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    if (!/jwt|jsonwebtoken|jose|ignoreExpiration|algorithms?["']?[ \t]*:/i.test(ctx.file.text)) return {};
    const bindings = ctx.shared.bindings;
    const trail = ctx.shared.trail(TRACKED);
    const decodes: DecodeUse[] = [];
    /** Variables holding a decode result (also destructured claim names). */
    const decodedVars = new Map<string, DecodeUse>();
    const verifyInnermost = new Set<JsNode | typeof MODULE>();
    const verifyEnclosing = new Set<JsNode | typeof MODULE>();

    const enclosingFunctions = (): Array<JsNode | typeof MODULE> => {
      const out: Array<JsNode | typeof MODULE> = [];
      for (let i = trail.nodes.length - 1; i >= 0; i--) {
        if (FUNCTION_TYPES.has(trail.nodes[i]!.type)) out.push(trail.nodes[i]!);
      }
      out.push(MODULE);
      return out;
    };

    /** True when a handler in this chain is registered after an auth middleware: `app.get(p, requireAuth, (req, res) => …)`. */
    const afterAuthMiddleware = (): boolean => {
      const { nodes } = trail;
      for (let i = nodes.length - 1; i > 0; i--) {
        const node = nodes[i]!;
        const call = nodes[i - 1]!;
        if (!FUNCTION_TYPES.has(node.type) || call.type !== "CallExpression") continue;
        const at = call.arguments.indexOf(node);
        for (let a = 1; a < at; a++) {
          const arg = unwrap(call.arguments[a]);
          const names = arg.type === "CallExpression" ? mentionedNames(arg.callee, 8) : mentionedNames(arg, 8);
          if (names.some((n) => AUTH_MIDDLEWARE.test(n))) return true;
        }
      }
      return false;
    };

    const functionNameOf = (fnNode: JsNode | typeof MODULE): string | null => {
      if (fnNode === MODULE) return null;
      const i = trail.nodes.lastIndexOf(fnNode);
      return i >= 0 ? functionName(fnNode, trail.parents[i]!) : null;
    };

    /** Why returning a decode result from the enclosing function decides access, or null. */
    const returnDecision = (use: DecodeUse): string | null => {
      const name = functionNameOf(use.fn);
      if (!name) return null;
      if (AUTH_FUNCTION.test(name) || (!use.client && SERVER_USER_FUNCTION.test(name))) return `returned from ${name}()`;
      return null;
    };

    /** Why a test expression that mentions a decode result decides access, or null. */
    const testDecision = (test: JsNode, use: DecodeUse): string | null => {
      if (!use.client) return "tested in a condition";
      const words = mentionedNames(test, 48)
        .flatMap((n) => n.split("."))
        .flatMap((n) => nameParts(n));
      return words.some((w) => ROLE_CLAIMS.has(w)) ? "its role or permission claims are tested" : null;
    };

    /** The decode use a test mentions through a variable declared earlier in the same function. */
    const useInTest = (test: JsNode): DecodeUse | undefined => {
      if (decodedVars.size === 0) return undefined;
      for (const name of mentionedNames(test, 48)) {
        const use = decodedVars.get(name.split(".")[0]!);
        if (use && use.call.end <= test.start && (use.fn === MODULE || within(test, use.fn))) return use;
      }
      return undefined;
    };

    const onDecode = (node: JsNode, client: boolean) => {
      const chain = enclosingFunctions();
      const use: DecodeUse = { call: node, client, fn: chain[0]!, chain, decision: null, guarded: afterAuthMiddleware() };
      decodes.push(use);
      const { nodes } = trail;
      // A decode inside a condition: `if (jwt.decode(t).role === "admin")`.
      for (let i = nodes.length - 2; i >= 0 && !FUNCTION_TYPES.has(nodes[i]!.type); i--) {
        const f = nodes[i]!;
        if ((f.type === "IfStatement" || f.type === "ConditionalExpression") && within(node, f.test)) {
          use.decision = testDecision(f.test, use);
          return;
        }
      }
      // Where the result goes: a variable, req.user, a return.
      const p = nodes[nodes.length - 2];
      if (!p) return;
      if (p.type === "VariableDeclarator" && valueOf(p.init) === node) {
        if (p.id.type === "Identifier") decodedVars.set(p.id.name, use);
        else if (p.id.type === "ObjectPattern") {
          for (const prop of p.id.properties) {
            const name = prop.type === "Property" ? targetName(prop.value) : null;
            if (name) decodedVars.set(name, use);
          }
        }
      } else if (p.type === "AssignmentExpression" && valueOf(p.right) === node) {
        if (isAuthTarget(p.left)) use.decision = `assigned to ${targetName(p.left)}`;
        else if (p.left.type === "Identifier") decodedVars.set(p.left.name, use);
      } else if ((p.type === "ReturnStatement" && valueOf(p.argument) === node) || (p.type === "ArrowFunctionExpression" && valueOf(p.body) === node)) {
        use.decision = returnDecision(use);
      }
    };

    const onVerify = () => {
      const chain = enclosingFunctions();
      verifyInnermost.add(chain[0]!);
      for (const f of chain) verifyEnclosing.add(f);
    };

    /** Reports jsonwebtoken verify calls without an `algorithms` option. */
    const checkVerifyOptions = (node: JsNode) => {
      const args: JsNode[] = node.arguments;
      if (args.length < 2 || args.some((a) => a.type === "SpreadElement")) return;
      const third = args[2] ? unwrap(args[2]) : null;
      if (third && !FUNCTION_TYPES.has(third.type)) {
        if (third.type !== "ObjectExpression") return; // options built elsewhere: cannot tell
        if (third.properties.some((p: JsNode) => p.type === "SpreadElement" || propertyName(p) === "algorithms")) return;
      }
      const keyNames = mentionedNames(args[1]!, 16).join(" ");
      const publicKey = /public|pub\b|pem|cert|jwks|getkey|getsigningkey|secretorpublickey/i.test(keyNames);
      ctx.report({
        start: node.start,
        end: node.end,
        severity: publicKey ? "high" : "medium",
        confidence: "medium",
        message: publicKey
          ? "jwt.verify() with a public key and no `algorithms` option: a token signed with HS256 using the public key as the secret may be accepted (algorithm confusion). Pin { algorithms: ['RS256'] }."
          : "jwt.verify() without an `algorithms` option accepts whichever algorithm the token's header names. Pin the algorithm you issue, e.g. { algorithms: ['HS256'] }.",
      });
    };

    /**
     * jsonwebtoken sign(payload, key, options) of a literal payload without `exp` and options
     * without `expiresIn`: the token is valid forever, so a leaked one never stops working.
     */
    const checkSignExpiry = (node: JsNode) => {
      const [payloadNode, , optionsNode] = node.arguments as JsNode[];
      const payload = payloadNode ? unwrap(payloadNode) : null;
      if (!payload || payload.type !== "ObjectExpression" || payload.properties.some((p: JsNode) => p.type === "SpreadElement" || propertyName(p) === "exp"))
        return;
      const options = optionsNode ? unwrap(optionsNode) : null;
      if (options && FUNCTION_TYPES.has(options.type)) {
        // sign(payload, key, callback): no options at all.
      } else if (
        options &&
        (options.type !== "ObjectExpression" || options.properties.some((p: JsNode) => p.type === "SpreadElement" || propertyName(p) === "expiresIn"))
      ) {
        return;
      }
      ctx.report({
        start: node.start,
        end: node.end,
        severity: "medium",
        confidence: "medium",
        message:
          "jwt.sign() without `expiresIn` (and no `exp` claim): the token never expires, so a leaked or stolen token stays valid until the key is rotated. Set a short lifetime, e.g. { expiresIn: '15m' }, and refresh it.",
        fingerprintKey: "no-expiry",
      });
    };

    return {
      js: {
        CallExpression(node) {
          // Skip method calls classify() cannot recognise before resolving their callee.
          const callee = unwrap(node.callee);
          if (callee.type === "MemberExpression" && !JWT_METHODS.has(propertyName(callee) ?? "")) return;
          const kind = classify(bindings.resolve(node.callee));
          if (kind === "decode" || kind === "client-decode") onDecode(node, kind === "client-decode");
          else if (kind === "sign") checkSignExpiry(node);
          else if (kind === "verify" || kind === "nest-verify" || kind === "other-verify") {
            onVerify();
            if (kind === "verify") checkVerifyOptions(node);
          }
        },
        IfStatement(node) {
          const use = useInTest(node.test);
          if (use && use.decision === null) use.decision = testDecision(node.test, use);
        },
        ConditionalExpression(node) {
          const use = useInTest(node.test);
          if (use && use.decision === null) use.decision = testDecision(node.test, use);
        },
        ReturnStatement(node) {
          if (!node.argument || decodedVars.size === 0) return;
          const at = trail.enclosingFunction();
          const fn = at >= 0 ? trail.nodes[at]! : MODULE;
          for (const name of mentionedNames(node.argument, 16)) {
            const use = decodedVars.get(name.split(".")[0]!);
            if (use && use.decision === null && use.fn === fn) use.decision = returnDecision(use);
          }
        },
        AssignmentExpression(node) {
          const right = unwrap(node.right);
          const use = right.type === "Identifier" ? decodedVars.get(right.name) : undefined;
          if (use && use.decision === null && isAuthTarget(node.left)) use.decision = `assigned to ${targetName(node.left)}`;
        },
        Property(node, parent) {
          if (parent?.type !== "ObjectExpression") return;
          const name = propertyName(node);
          const value = unwrap(node.value);
          if (name === "algorithms" && value.type === "ArrayExpression") {
            const algs = value.elements.map((e: JsNode | null) => (e ? literalString(e) : null)).filter((s: string | null): s is string => s !== null);
            if (algs.some((a: string) => a.toLowerCase() === "none")) {
              ctx.report({
                start: node.start,
                end: node.end,
                severity: "high",
                confidence: "high",
                message: "`algorithms` includes 'none': unsigned tokens are accepted as valid.",
              });
            } else if (algs.some((a: string) => /^HS/i.test(a)) && algs.some((a: string) => /^(?:RS|ES|PS|EdDSA)/i.test(a))) {
              ctx.report({
                start: node.start,
                end: node.end,
                severity: "medium",
                confidence: "medium",
                message:
                  "`algorithms` mixes HMAC (HS*) with public-key algorithms: a token HMAC-signed with the public key may verify (algorithm confusion). Allow one family.",
              });
            }
          } else if (name === "algorithm" && literalString(value)?.toLowerCase() === "none") {
            ctx.report({
              start: node.start,
              end: node.end,
              severity: "high",
              confidence: "high",
              message: "Tokens are issued with `algorithm: 'none'`, i.e. unsigned: anyone can forge them.",
            });
          } else if (name === "ignoreExpiration" && value.type === "Literal" && value.value === true) {
            ctx.report({
              start: node.start,
              end: node.end,
              severity: "medium",
              confidence: "high",
              message: "`ignoreExpiration: true` accepts expired tokens, so a leaked token never stops working.",
            });
          }
        },
      },
      end() {
        for (const use of decodes) {
          if (use.decision === null || use.guarded) continue;
          // Verified in the same function, in a function around it, or in a callback inside it.
          if (use.chain.some((f) => f !== MODULE && verifyInnermost.has(f))) continue;
          if (use.fn === MODULE ? verifyInnermost.has(MODULE) : verifyEnclosing.has(use.fn)) continue;
          ctx.report({
            start: use.call.start,
            end: use.call.end,
            severity: "high",
            confidence: use.client ? "medium" : "high",
            message: `This JWT is decoded without verifying its signature, but the result decides access (${use.decision}): anyone can forge a token with any claims. Verify it with jwt.verify(token, key, { algorithms: [...] }) first.`,
          });
        }
      },
    };
  },
});
