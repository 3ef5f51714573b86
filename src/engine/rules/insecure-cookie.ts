/**
 * Session and token cookies without `Secure`, `HttpOnly` or `SameSite`. Without Secure the
 * browser also sends the cookie over plain HTTP, where anyone on the path reads it (PCI DSS
 * 4.2.1); without HttpOnly any XSS reads it from `document.cookie`; without SameSite it rides on
 * cross-site requests (CSRF). PCI DSS 6.2.4 lists all three among the attacks software must
 * prevent, and a stolen session in a payment application is a stolen cardholder session.
 *
 * Covered: express-session (`cookie: {…}`; its defaults are HttpOnly on, Secure off) and
 * cookie-session (Secure off for HTTP requests), `res.cookie(name, value, opts)` (Express: all
 * off), Fastify `reply.setCookie`, Koa `ctx.cookies.set` (HttpOnly on by default), Hono and h3
 * `setCookie(c, name, value, opts)`, Next.js `cookies().set(name, value, opts)`, and a
 * `Set-Cookie` header written by hand. Options may be a `const` of the file.
 *
 * Decisions: a call is judged only when the cookie carries a session or a token (its name or
 * its value's name says so); a CSRF token cookie is meant to be read by scripts, so HttpOnly is
 * not asked of it. One finding per call lists what is missing: medium when Secure or HttpOnly
 * is, low when only SameSite is. A non-literal value (`secure: isProd`, `secure: "auto"`)
 * counts as set, and so does a later `sess.cookie.secure = true` (express-session's documented
 * production switch). Test files are skipped.
 */
import type { JsNode } from "../parse/js";
import { literalString, memberChain, mentionedNames, propertyName, unwrap } from "../js/node-values";
import { isTestPath } from "../js/test-paths";
import { createRule } from "../rule";

type Attribute = "Secure" | "HttpOnly" | "SameSite";

/** Cookie names and value names that say the cookie authenticates its holder. */
const SESSION_NAME = /sess|^sid$|[._-]sid$|token|auth|jwt|refresh|access|remember|login|identity|credential/i;
const CSRF_NAME = /csrf|xsrf/i;
/** Cookie-setting methods and the position of their name argument. */
const COOKIE_METHODS = new Map([
  ["cookie", 0],
  ["setCookie", 0],
]);
/** Member calls worth resolving: the cookie setters, header setters, and `x.session(…)` style middleware. */
const COOKIE_CALL_METHODS = new Set(["cookie", "setCookie", "set", "setHeader", "header", "append", "session", "cookieSession", "default"]);
/** Functions (hono/cookie, h3) whose first argument is the context. */
const CONTEXT_FIRST = new Set(["hono/cookie", "h3"]);
const MENTIONS = /cookie|Cookie|session/;

/** What each API does when an attribute is not given: true means on by default. */
interface Defaults {
  secure: boolean;
  httpOnly: boolean;
}
const ALL_OFF: Defaults = { secure: false, httpOnly: false };

export default createRule({
  id: "insecure-cookie",
  meta: {
    title: "Session or token cookie without Secure, HttpOnly or SameSite",
    description:
      "Finds cookies that carry a session or a token and are set without Secure (sent over plain HTTP), without HttpOnly (readable by injected scripts) or without SameSite (sent with cross-site requests): express-session, cookie-session, res.cookie, Koa, Fastify, Hono and Next.js cookie calls, and hand-written Set-Cookie headers. A stolen session cookie is a stolen login to the payment application.",
    severity: "medium",
    confidence: "medium",
    category: "transport",
    cwe: ["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: ["A05:2021", "A07:2021"],
    pci: ["4.2.1", "6.2.4"],
    remediation:
      "Set session and token cookies with { secure: true, httpOnly: true, sameSite: 'lax' } (or 'strict'); behind a TLS-terminating proxy also call app.set('trust proxy', 1) so express-session and cookie-session see HTTPS. Leave HttpOnly off only for a CSRF token that scripts must read.",
    references: [
      "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies",
      "https://cwe.mitre.org/data/definitions/614.html",
      "https://cwe.mitre.org/data/definitions/1004.html",
      "https://github.com/expressjs/session#cookie",
      "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie",
    ],
    tags: ["security", "session", "cookie"],
    languages: ["javascript", "typescript"],
  },
  create(ctx) {
    const text = ctx.file.text;
    if (isTestPath(ctx.file.path) || !MENTIONS.test(text)) return {};
    const bindings = ctx.shared.bindings;
    const constants = ctx.shared.constants;
    // express-session's documented switch: `if (prod) sess.cookie.secure = true`.
    const secureSetLater = /\.cookie\.secure\s*=\s*(?!false\b)/.test(text);

    const report = (at: JsNode, cookie: string | null, missing: Attribute[], where: string) => {
      if (missing.length === 0) return;
      const serious = missing.includes("Secure") || missing.includes("HttpOnly");
      const why = [
        missing.includes("Secure") ? "without Secure it is also sent over plain HTTP" : null,
        missing.includes("HttpOnly") ? "without HttpOnly any injected script can read it" : null,
        missing.includes("SameSite") ? "without SameSite it is sent with cross-site requests (CSRF)" : null,
      ].filter(Boolean);
      ctx.report({
        start: at.start,
        end: at.end,
        severity: serious ? "medium" : "low",
        message: `${cookie ? `The "${cookie.slice(0, 40)}" cookie` : "The session cookie"} (${where}) is set without ${missing.join(", ")}: ${why.join("; ")}.`,
        fingerprintKey: cookie ?? where,
      });
    };

    /** The attributes an options object leaves off, given the API's defaults; null when the options are not known. */
    const missingIn = (options: JsNode | undefined, defaults: Defaults, csrf: boolean): Attribute[] | null => {
      const props = options === undefined ? new Map<string, JsNode>() : constants.object(options);
      if (!props) return null;
      const missing: Attribute[] = [];
      const secure = props.get("secure");
      if (secure ? isFalse(secure) : !defaults.secure && !secureSetLater) missing.push("Secure");
      const httpOnly = props.get("httpOnly") ?? props.get("httponly");
      if (!csrf && (httpOnly ? isFalse(httpOnly) : !defaults.httpOnly)) missing.push("HttpOnly");
      const sameSite = props.get("sameSite") ?? props.get("samesite");
      if (!sameSite || isFalse(sameSite) || literalString(sameSite)?.toLowerCase() === "none") missing.push("SameSite");
      return missing;
    };

    /** The cookie's name, and whether it or its value says it holds a session or a token. */
    const judgeCookie = (nameNode: JsNode | undefined, valueNode: JsNode | undefined): { name: string | null; session: boolean; csrf: boolean } => {
      const name = bindings.stringValue(nameNode);
      const names = [name ?? "", ...(valueNode ? mentionedNames(valueNode, 12).map((n) => n.slice(n.lastIndexOf(".") + 1)) : [])];
      const csrf = names.some((n) => CSRF_NAME.test(n));
      const session = names.some((n) => n.length <= 80 && SESSION_NAME.test(n));
      return { name, session, csrf };
    };

    const onCall = (node: JsNode) => {
      const callee = unwrap(node.callee);
      const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
      if (method === null || (callee.type === "MemberExpression" && !COOKIE_CALL_METHODS.has(method))) return;
      const resolved = bindings.resolve(node.callee);
      const module = resolved?.module ?? null;
      const names = resolved?.names ?? [];

      // express-session / cookie-session middleware.
      if (module === "express-session" && names.length === 0) {
        const options = constants.object(node.arguments[0]);
        if (!options) return;
        const cookie = options.get("cookie");
        const missing = missingIn(cookie, { secure: false, httpOnly: true }, false);
        const cookieName = bindings.stringValue(options.get("name")) ?? "connect.sid";
        if (missing) report(cookie ? unwrap(cookie) : node, cookieName, missing, "express-session");
        return;
      }
      if (module === "cookie-session" && names.length === 0) {
        const missing = missingIn(node.arguments[0], { secure: false, httpOnly: true }, false);
        const cookieName = bindings.stringValue(constants.object(node.arguments[0])?.get("name")) ?? "session";
        if (missing) report(node, cookieName, missing, "cookie-session");
        return;
      }

      // hono/cookie, h3: setCookie(c, name, value, opts).
      if (method === "setCookie" && module !== null && CONTEXT_FIRST.has(module)) {
        const cookie = judgeCookie(node.arguments[1], node.arguments[2]);
        if (!cookie.session) return;
        const missing = missingIn(node.arguments[3], ALL_OFF, cookie.csrf);
        if (missing) report(node, cookie.name, missing, "setCookie");
        return;
      }
      if (callee.type !== "MemberExpression") return;
      const receiver = memberChain(callee.object);
      const receiverNames = receiver ? [receiver.root.type === "Identifier" ? receiver.root.name : "", ...receiver.names] : [];
      const last = receiverNames[receiverNames.length - 1] ?? "";

      // res.cookie(name, value, opts), reply.setCookie(name, value, opts).
      if (COOKIE_METHODS.has(method) && /^(?:res|resp|response|reply)$/.test(last)) {
        const cookie = judgeCookie(node.arguments[0], node.arguments[1]);
        if (!cookie.session) return;
        const missing = missingIn(node.arguments[2], ALL_OFF, cookie.csrf);
        if (missing) report(node, cookie.name, missing, `${last}.${method}`);
        return;
      }
      // Koa ctx.cookies.set(name, value, opts); Next.js cookies().set / response.cookies.set.
      if (method === "set" && (last === "cookies" || isCookiesCall(callee.object))) {
        const koa = receiverNames[0] === "ctx" || receiverNames[0] === "context";
        const options = node.arguments[2];
        // Next.js also takes one object: cookies().set({ name, value, ...opts }).
        const single = node.arguments.length === 1 ? constants.object(node.arguments[0]) : null;
        const cookie = single ? judgeCookie(single.get("name"), single.get("value")) : judgeCookie(node.arguments[0], node.arguments[1]);
        if (!cookie.session) return;
        const missing = single
          ? missingIn(node.arguments[0], ALL_OFF, cookie.csrf)
          : missingIn(options, koa ? { secure: false, httpOnly: true } : ALL_OFF, cookie.csrf);
        if (missing) report(node, cookie.name, missing, koa ? "ctx.cookies.set" : "cookies().set");
        return;
      }
      // res.setHeader("Set-Cookie", …), res.set(…), headers.append/set(…).
      if (
        (method === "setHeader" || method === "set" || method === "append" || method === "header") &&
        literalString(node.arguments[0])?.toLowerCase() === "set-cookie"
      ) {
        headerCookie(node.arguments[1]);
      }
    };

    /** A hand-written Set-Cookie value: `sid=${id}; Path=/; HttpOnly`. */
    const headerCookie = (valueNode: JsNode | undefined) => {
      if (!valueNode) return;
      const value = unwrap(valueNode);
      const items = value.type === "ArrayExpression" ? value.elements.filter(Boolean) : [value];
      for (const item of items) {
        const cookie = cookieText(unwrap(item));
        if (!cookie) continue;
        const m = /^\s*([^=;\s]{1,80})=/.exec(cookie.head);
        const name = m ? m[1]! : null;
        const judged = judgeCookie(undefined, cookie.value);
        if (!(name !== null && SESSION_NAME.test(name)) && !judged.session) continue;
        const csrf = (name !== null && CSRF_NAME.test(name)) || judged.csrf;
        const attrs = cookie.attributes.toLowerCase();
        const missing: Attribute[] = [];
        if (!/;\s*secure\b/.test(attrs)) missing.push("Secure");
        if (!csrf && !/;\s*httponly\b/.test(attrs)) missing.push("HttpOnly");
        if (!/;\s*samesite\s*=\s*(?:lax|strict)\b/.test(attrs)) missing.push("SameSite");
        report(unwrap(item), name, missing, "Set-Cookie header");
      }
    };

    return {
      js: {
        CallExpression: onCall,
        Property(node, parent) {
          // new Response(body, { headers: { "Set-Cookie": `sid=${id}` } })
          if (parent?.type === "ObjectExpression" && propertyName(node)?.toLowerCase() === "set-cookie") headerCookie(node.value);
        },
      },
    };
  },
});

/** `false`, `0`, `"false"`. */
function isFalse(node: JsNode): boolean {
  const n = unwrap(node);
  return n.type === "Literal" && (n.value === false || n.value === 0 || n.value === "false");
}

/** `cookies()`, `await cookies()`: Next.js's cookie store. */
function isCookiesCall(node: JsNode): boolean {
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type !== "CallExpression") return false;
  const callee = unwrap(n.callee);
  return callee.type === "Identifier" && callee.name === "cookies";
}

/**
 * A Set-Cookie value written as a template or a `+` chain: the text before the value (`sid=`),
 * the value's expression, and the static attribute text after it. Null when the attributes are
 * themselves computed (a variable of unknown attributes), since then nothing can be said.
 */
function cookieText(node: JsNode): { head: string; value: JsNode | undefined; attributes: string } | null {
  const parts: Array<string | JsNode> = [];
  flatten(node, parts, 0);
  if (parts.length === 0 || typeof parts[0] !== "string") return null;
  const head = parts[0];
  const value = typeof parts[1] === "object" ? parts[1] : undefined;
  let attributes = value ? "" : head.slice(head.indexOf(";") >= 0 ? head.indexOf(";") : head.length);
  for (let i = value ? 2 : 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (typeof p === "string") attributes += p;
    // An expression is fine as the value of a named attribute (`Max-Age=${ttl}`), not as attributes of its own.
    else if (!/(?:max-age|expires|domain|path)=\s*$/i.test(attributes)) return null;
    else attributes += "x";
  }
  return { head, value, attributes };
}

/** A string built by `+` and templates as its static pieces and the expressions between them (bounded). */
function flatten(node: JsNode, out: Array<string | JsNode>, depth: number): void {
  const n = unwrap(node);
  if (depth > 16 || out.length > 32) return;
  const s = literalString(n);
  if (s !== null) {
    pushText(out, s);
  } else if (n.type === "TemplateLiteral") {
    n.quasis.forEach((q: JsNode, i: number) => {
      pushText(out, q.value.cooked ?? "");
      if (i < n.expressions.length) flatten(n.expressions[i], out, depth + 1);
    });
  } else if (n.type === "BinaryExpression" && n.operator === "+") {
    flatten(n.left, out, depth + 1);
    flatten(n.right, out, depth + 1);
  } else {
    out.push(n);
  }
}

function pushText(out: Array<string | JsNode>, s: string): void {
  const last = out[out.length - 1];
  if (typeof last === "string") out[out.length - 1] = last + s;
  else out.push(s);
}
