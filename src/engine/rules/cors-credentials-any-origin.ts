/**
 * CORS that lets any web site make credentialed requests: the request's `Origin` reflected into
 * `Access-Control-Allow-Origin` together with `Access-Control-Allow-Credentials: true`. Any page
 * a logged-in user visits can then call the API with the user's cookies and read the answers —
 * card data, tokens, account details (CWE-942, CWE-346; PCI DSS 6.2.4).
 *
 * Covered: `cors` (Express, NestJS `enableCors`), `@fastify/cors`, `@koa/cors` (whose default
 * origin *is* the request's) and `hono/cors` options — `origin: true`, an origin function that
 * accepts or returns every origin, an allowlist check that matches substrings (`origin.includes
 * ("example.com")`, an unanchored RegExp, `endsWith("example.com")` without the dot) — and
 * `Access-Control-Allow-Origin` headers set by hand from the request's Origin in a file that
 * also allows credentials.
 *
 * Decisions: reflection with credentials is high; a substring allowlist with credentials is
 * medium (an attacker registers `example.com.evil.io` or `evilexample.com`); `*` with
 * credentials is low, since browsers refuse that combination (it is a broken configuration more
 * than an exposure). Without credentials nothing is reported: a public API may well answer every
 * origin. A header set inside a test of the origin against a list or an exact value is taken as
 * allowlisted. Test files are skipped.
 */
import type { JsNode } from "../parse/js";
import { FUNCTION_TYPES } from "../js/ancestor-trail";
import { literalString, memberChain, mentionedNames, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule, type Report } from "../rule";

const CORS_MODULES = new Set(["cors", "@fastify/cors", "@koa/cors", "koa2-cors", "hono/cors"]);
/** Modules whose default `origin` is the request's own Origin. */
const REFLECTING_DEFAULT = new Set(["@koa/cors"]);
const MENTIONS = /cors|Access-Control-Allow-Origin|enableCors/i;
const ALLOW_ORIGIN = "access-control-allow-origin";
/** Member calls worth resolving: CORS middleware, plugin registration, header setters. */
const CORS_CALL_METHODS = new Set(["enableCors", "register", "setHeader", "header", "set", "append", "cors", "default"]);
/** The file allows credentials in a hand-written header. */
const CREDENTIALS_HEADER = /Access-Control-Allow-Credentials["'`]\s{0,4}[,:]\s{0,4}["'`]?true/i;
/** Substring tests on the origin: `origin.includes("x")`, `origin.indexOf("x") !== -1`, `origin.endsWith("example.com")`. */
const SUBSTRING_METHODS = new Set(["includes", "indexOf", "startsWith", "endsWith", "match", "search"]);
/** Exact tests: membership in a list or set, equality. */
const EXACT_CHECK = /(?:includes|has|indexOf)\(\s{0,4}(?:[\w.]{0,40}\.)?origin\s{0,4}\)|[!=]==?\s{0,4}(?:[\w.]{0,40}\.)?origin\b|\borigin\s{0,4}[!=]==?/i;

/** What an origin setting allows; `at` is where a weak check was found, when not at the setting itself. */
type Verdict = { level: "reflect" | "weak" | "star"; why: string; at?: { start: number; end: number } } | null;

export default createRule({
  id: "cors-credentials-any-origin",
  meta: {
    title: "CORS reflects any origin with credentials",
    description:
      "Finds CORS configurations that allow credentialed requests from any origin: the request's Origin reflected (origin: true, an origin function that accepts everything, a hand-written Access-Control-Allow-Origin from the request) or checked as a substring, together with credentials. Any web site a logged-in user visits can then call the API with the user's cookies and read the responses.",
    severity: "high",
    confidence: "high",
    category: "transport",
    cwe: ["CWE-942", "CWE-346"],
    owasp: ["A05:2021", "A01:2021"],
    pci: ["6.2.4"],
    remediation:
      "Allow an explicit list of trusted origins and compare exactly: cors({ origin: ['https://app.example.com'], credentials: true }), or a function that checks allowed.has(origin). For subdomains anchor the pattern: /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/. Never reflect the Origin header with credentials.",
    references: [
      "https://cwe.mitre.org/data/definitions/942.html",
      "https://portswigger.net/web-security/cors",
      "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials",
      "https://github.com/expressjs/cors#configuration-options",
    ],
    tags: ["security", "cors"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    const text = ctx.file.text;
    if (isTestPath(ctx.file.path) || !MENTIONS.test(text)) return {};
    const bindings = ctx.shared.bindings;
    const constants = ctx.shared.constants;
    const trail = ctx.shared.trail(["IfStatement", "ConditionalExpression"]);
    /** Variables by name: true when every declaration reads the request's Origin (`const origin = req.headers.origin`). */
    const originVars = new Map<string, boolean>();

    const report = (node: { start: number; end: number }, verdict: NonNullable<Verdict>) => {
      const at = verdict.at ?? node;
      const severity: Report["severity"] = verdict.level === "reflect" ? "high" : verdict.level === "weak" ? "medium" : "low";
      const message =
        verdict.level === "reflect"
          ? `CORS ${verdict.why} and allows credentials: any web site can make requests with the user's cookies and read the responses. Allow a fixed list of origins.`
          : verdict.level === "weak"
            ? `CORS allows credentials for origins that ${verdict.why}: a look-alike domain (example.com.evil.io, evilexample.com) passes. Compare against an exact list, or anchor the pattern.`
            : "CORS allows origin '*' with credentials: browsers refuse that pair, so the configuration is broken rather than open — set an explicit list of origins (and do not 'fix' it by reflecting the Origin).";
      ctx.report({ start: at.start, end: at.end, severity, confidence: verdict.level === "weak" ? "medium" : "high", message, fingerprintKey: verdict.level });
    };

    /** The CORS middleware options: is any origin allowed with credentials? */
    const judgeOptions = (optionsNode: JsNode | undefined, module: string, at: JsNode) => {
      const options = optionsNode ? constants.object(optionsNode) : new Map<string, JsNode>();
      if (!options) return;
      const credentials = options.get("credentials");
      if (!credentials || !isTrue(credentials)) return;
      const origin = options.get("origin");
      if (!origin) {
        if (REFLECTING_DEFAULT.has(module))
          report(at, { level: "reflect", why: `(${module}) answers every request with its own Origin when no \`origin\` is given` });
        else report(at, { level: "star", why: "" });
        return;
      }
      const verdict = judgeOrigin(origin);
      if (verdict) report(unwrap(origin), verdict);
    };

    /** What an `origin` option allows. */
    const judgeOrigin = (node: JsNode, depth = 0): Verdict => {
      const n = unwrap(node);
      if (isTrue(n)) return { level: "reflect", why: "reflects every request's Origin (`origin: true`)" };
      const s = bindings.stringValue(n);
      if (s !== null) return s.trim() === "*" ? { level: "star", why: "" } : null;
      if (n.type === "Literal" && n.regex)
        return weakRegex(n.regex.pattern) ? { level: "weak", why: `match the unanchored pattern /${n.regex.pattern.slice(0, 60)}/` } : null;
      if (n.type === "ArrayExpression" && depth === 0) {
        for (const e of n.elements) {
          const v = e ? judgeOrigin(e, depth + 1) : null;
          if (v && v.level === "weak") return v;
        }
        return null;
      }
      if (n.type === "Identifier" && depth === 0) {
        const init = constants.init(n.name);
        return init ? judgeOrigin(init, depth + 1) : null;
      }
      if (FUNCTION_TYPES.has(n.type)) return judgeOriginFunction(n);
      return null;
    };

    /** `(o, cb) => cb(null, true)`, `(origin) => origin`, or a function whose check is a substring test. */
    const judgeOriginFunction = (fn: JsNode): Verdict => {
      const [first, second] = fn.params.map((p: JsNode) => (p.type === "Identifier" ? p.name : null));
      const block = fn.body.type === "BlockStatement";
      if (!block || fn.body.body.length === 1) {
        const st: JsNode = block ? fn.body.body[0] : fn.body;
        const value = !block
          ? unwrap(st)
          : st.type === "ReturnStatement"
            ? st.argument
              ? unwrap(st.argument)
              : null
            : st.type === "ExpressionStatement"
              ? unwrap(st.expression)
              : null;
        if (value) {
          if (value.type === "Identifier" && value.name === first) return { level: "reflect", why: "returns every request's Origin from its origin function" };
          if (isTrue(value)) return { level: "reflect", why: "accepts every origin in its origin function" };
          if (value.type === "CallExpression" && unwrap(value.callee).type === "Identifier" && unwrap(value.callee).name === second) {
            const granted = value.arguments[1] ? unwrap(value.arguments[1]) : null;
            if (granted && (isTrue(granted) || (granted.type === "Identifier" && granted.name === first)))
              return { level: "reflect", why: "accepts every origin in its origin callback" };
          }
        }
      }
      const weak = substringCheck(text.slice(fn.start, Math.min(fn.end, fn.start + 4000)));
      return weak ? { level: "weak", why: weak.why, at: { start: fn.start + weak.start, end: fn.start + weak.end } } : null;
    };

    const onCall = (node: JsNode) => {
      const callee = unwrap(node.callee);
      const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
      if (method === null || (callee.type === "MemberExpression" && !CORS_CALL_METHODS.has(method))) return;
      if (method === "enableCors") return judgeOptions(node.arguments[0], "cors", node);
      const resolved = bindings.resolve(node.callee);
      if (resolved?.module && CORS_MODULES.has(resolved.module) && (resolved.names.length === 0 || resolved.names[resolved.names.length - 1] === "cors")) {
        return judgeOptions(node.arguments[0], resolved.module, node);
      }
      // fastify.register(require("@fastify/cors"), { origin: true, credentials: true })
      if (method === "register" && node.arguments.length >= 2) {
        const plugin = bindings.resolve(node.arguments[0]);
        if (plugin?.module === "@fastify/cors" && plugin.names.length === 0) return judgeOptions(node.arguments[1], "@fastify/cors", node);
      }
      // res.setHeader("Access-Control-Allow-Origin", req.headers.origin), c.header(…), ctx.set(…)
      if (
        (method === "setHeader" || method === "header" || method === "set" || method === "append") &&
        literalString(node.arguments[0])?.toLowerCase() === ALLOW_ORIGIN
      ) {
        const value = node.arguments[1];
        if (!value || !isRequestOrigin(value) || !CREDENTIALS_HEADER.test(text)) return;
        const guard = guardOf(node);
        if (guard === "exact") return;
        report(
          unwrap(value),
          guard === null ? { level: "reflect", why: "copies the request's Origin into Access-Control-Allow-Origin" } : { level: "weak", why: guard },
        );
      }
    };

    /** How the origin is checked before the header is set: null (not at all), "exact", or the weak check. */
    const guardOf = (call: JsNode): string | null => {
      for (let i = trail.nodes.length - 1; i >= 0; i--) {
        const n = trail.nodes[i]!;
        if (FUNCTION_TYPES.has(n.type)) {
          // Checks earlier in the function (`if (!allowed.includes(origin)) return next();`).
          const before = text.slice(Math.max(n.start, call.start - 4000), call.start);
          const weak = substringCheck(before);
          if (weak) return weak.why;
          return EXACT_CHECK.test(before) ? "exact" : null;
        }
        if (
          (n.type === "IfStatement" || n.type === "ConditionalExpression") &&
          n.test.end <= call.start &&
          mentionedNames(n.test, 32).some((m) => /origin/i.test(m))
        ) {
          return substringCheck(text.slice(n.test.start, Math.min(n.test.end, n.test.start + 2000)))?.why ?? "exact";
        }
      }
      return null;
    };

    /** Whether a value is the request's Origin header. */
    const isRequestOrigin = (node: JsNode): boolean => {
      const n = unwrap(node);
      if (n.type === "Identifier") return originVars.get(n.name) === true;
      if (n.type === "LogicalExpression") return isRequestOrigin(n.left);
      if (n.type === "TSNonNullExpression" || n.type === "AwaitExpression") return isRequestOrigin(n.argument ?? n.expression);
      if (n.type === "MemberExpression") {
        const chain = memberChain(n);
        return chain !== null && chain.names[chain.names.length - 1]?.toLowerCase() === "origin" && chain.names.includes("headers");
      }
      if (n.type === "CallExpression") {
        const c = unwrap(n.callee);
        const m = c.type === "MemberExpression" ? propertyName(c) : null;
        return (m === "get" || m === "header") && literalString(n.arguments[0])?.toLowerCase() === "origin";
      }
      return false;
    };

    return {
      js: {
        VariableDeclarator(node) {
          if (node.id.type !== "Identifier" || !node.init) return;
          let init = unwrap(node.init);
          if (init.type === "AwaitExpression") init = unwrap(init.argument);
          const fromRequest = isRequestOrigin(init);
          originVars.set(node.id.name, fromRequest && originVars.get(node.id.name) !== false);
        },
        CallExpression: onCall,
      },
    };
  },
});

function isTrue(node: JsNode): boolean {
  const n = unwrap(node);
  return (
    (n.type === "Literal" && (n.value === true || n.value === "true")) ||
    (n.type === "UnaryExpression" && n.operator === "!" && unwrap(n.argument).type === "Literal" && unwrap(n.argument).value === 0)
  );
}

/**
 * A RegExp source that lets look-alike origins through: not anchored at the end, or not at the
 * start and without a dot before the domain (`/example\.com$/` matches evilexample.com).
 */
function weakRegex(source: string): boolean {
  if (!source.endsWith("$")) return true;
  return !source.startsWith("^") && !source.startsWith("\\.");
}

/** The substring test an origin check makes, in words, with its place in `code`; null if none. Reads a bounded slice of text. */
function substringCheck(code: string): { why: string; start: number; end: number } | null {
  const m = /\borigin\??\.(includes|indexOf|startsWith|endsWith|match|search)\(\s{0,4}(["'`/])([^"'`\n]{0,80})/i.exec(code);
  if (m && SUBSTRING_METHODS.has(m[1]!)) {
    const [, method, quote, arg] = m;
    const safe = (method === "endsWith" && (arg!.startsWith(".") || arg!.startsWith("//"))) || (quote === "/" && !weakRegex(arg!.replace(/\/[a-z]{0,6}$/, "")));
    if (!safe) return { why: `pass \`origin.${method}(…)\``, start: m.index, end: m.index + m[0].length };
  }
  const r = /\/((?:[^/\\\n]|\\.){1,120})\/[a-z]{0,6}\.test\(\s{0,4}(?:[\w.]{0,40}\.)?origin\b/i.exec(code);
  if (r && weakRegex(r[1]!)) return { why: `match the unanchored pattern /${r[1]!.slice(0, 60)}/`, start: r.index, end: r.index + r[0].length };
  return null;
}
