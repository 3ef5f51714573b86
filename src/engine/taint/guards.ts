/**
 * Checks that narrow a value in the branch they guard: comparing against a constant, membership
 * in a constant list or set (`ALLOWED.includes(x)`), `switch` over literals, an anchored regular
 * expression of safe characters, `typeof x === "string"` (no operator objects), a host allowlist
 * on a URL object, a base-directory prefix check on a resolved path, and `key === "__proto__"`
 * checks. Library checks (`validator.isInt`, `Number.isInteger`, `Object.hasOwn`,
 * `isValidObjectId`) are the guard rows of models/.
 *
 * `guardEffects(test, true)` says what holds where the test is true, `(test, false)` where it is
 * false; `!`, `&&` and `||` combine them (an `||` of two allowlist checks narrows only what both
 * narrow). Each effect names the variable or member path it narrows and the kinds it makes safe.
 */
import type { JsNode } from "../parse/js";
import { literalString, pathKey, unwrap } from "../js/node-values";
import type { ModelHost } from "../models/host";
import { exitCall, guardOf } from "../models/index";
import { ALL_KINDS, NOSQL, PATH, PROTO, REDOS, SCHEME, SCHEME_SAFE, URL_KINDS } from "./kinds";
import { F_CONST_COLL, F_NORMALIZED, F_URL } from "./value";

export interface GuardEffect {
  /** A variable name or a member path (`u.hostname`, `req.query.next`). */
  key: string;
  /** Kinds the guarded value is safe for. */
  mask: number;
}

type Effects = GuardEffect[] | null;

const POLLUTING_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const ALLOWLIST_NAME = /allow|whitelist|valid|permitted|accepted|known|supported|safe|enabled|columns|fields|sortable/i;
const MAX_EFFECTS = 16;

/** What a test implies for the branch where it evaluates to `positive`. */
export function guardEffects(I: ModelHost, test: JsNode, positive: boolean, depth = 0): Effects {
  if (depth > 8) return null;
  const t = unwrap(test);
  switch (t.type) {
    case "UnaryExpression":
      return t.operator === "!" ? guardEffects(I, t.argument, !positive, depth + 1) : null;
    case "LogicalExpression": {
      const l = guardEffects(I, t.left, positive, depth + 1);
      const r = guardEffects(I, t.right, positive, depth + 1);
      if (t.operator === "&&") return positive ? union(l, r) : intersect(l, r);
      if (t.operator === "||") return positive ? intersect(l, r) : union(l, r);
      return null;
    }
    case "BinaryExpression":
      return binary(I, t, positive);
    case "CallExpression":
      return call(I, t, positive);
    default:
      return null;
  }
}

function union(a: Effects, b: Effects): Effects {
  if (!a) return b;
  if (!b) return a;
  return [...a, ...b].slice(0, MAX_EFFECTS);
}

function intersect(a: Effects, b: Effects): Effects {
  if (!a || !b) return null;
  const out: GuardEffect[] = [];
  for (const x of a) {
    let mask = 0;
    for (const y of b) if (y.key === x.key) mask |= y.mask;
    if (mask & x.mask) out.push({ key: x.key, mask: mask & x.mask });
  }
  return out.length > 0 ? out : null;
}

/** The string a node holds when it is a literal or a constant. */
function constantString(I: ModelHost, node: JsNode): string | null {
  const n = unwrap(node);
  const literal = literalString(n);
  if (literal !== null) return literal;
  if (n.type === "Identifier") {
    const v = I.valueOf(n.name);
    return v && !v.taint ? v.str : null;
  }
  return null;
}

function isConstant(I: ModelHost, node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "Literal" || (n.type === "TemplateLiteral" && n.expressions.length === 0)) return true;
  if (n.type === "Identifier") {
    const v = I.valueOf(n.name);
    return !!v && !v.taint && (v.str !== null || /^[A-Z][A-Z0-9_]*$/.test(n.name));
  }
  if (n.type === "MemberExpression") {
    const key = pathKey(n);
    return key !== null && /^[A-Z][A-Za-z0-9_]*\.[A-Z0-9_]+$/.test(key);
  }
  return false;
}

/**
 * Effects of knowing `subject` equals a constant: safe for everything, and for URLs, the URL
 * object too (its host pins where it points; its protocol, which scheme it has).
 */
function pinned(I: ModelHost, subject: JsNode): Effects {
  const key = pathKey(subject);
  const out: GuardEffect[] = [];
  if (key) out.push({ key, mask: ALL_KINDS });
  const s = unwrap(subject);
  if (s.type === "MemberExpression" && !s.computed && /^(host|hostname|origin|protocol)$/.test(s.property.name)) {
    out.push(...urlObjectEffects(I, unwrap(s.object), s.property.name === "protocol" ? SCHEME : URL_KINDS));
  }
  return out.length > 0 ? out : null;
}

/** A check on a part of a URL object (`new URL(x).host`, `u.protocol`) narrows the object and the text it was built from. */
function urlObjectEffects(I: ModelHost, base: JsNode, mask: number): GuardEffect[] {
  if (base.type === "NewExpression") {
    const arg = base.arguments[0] ? pathKey(base.arguments[0]) : null;
    return arg ? [{ key: arg, mask }] : [];
  }
  const baseKey = pathKey(base);
  if (!baseKey) return [];
  const out: GuardEffect[] = [{ key: baseKey, mask }];
  const v = base.type === "Identifier" ? I.valueOf(base.name) : null;
  if (v && v.flags & F_URL && v.alias) out.push({ key: v.alias, mask });
  return out;
}

/** Schemes whose URL runs script where a page follows it. */
const SCRIPT_SCHEME = /^\s*(?:javascript|vbscript|data):/i;
/** A constant prefix that fixes a URL's scheme to a harmless one: `https://`, `mailto:`, `/`. */
const SAFE_SCHEME_PREFIX = /^(?:[a-z][a-z0-9+.-]*:|[/?#])/i;

function binary(I: ModelHost, t: JsNode, positive: boolean): Effects {
  const op: string = t.operator;
  const equal = op === "===" || op === "==";
  const notEqual = op === "!==" || op === "!=";
  const left = unwrap(t.left);
  const right = unwrap(t.right);
  // typeof x === "string" / "number"
  if (
    (equal || notEqual) &&
    ((left.type === "UnaryExpression" && left.operator === "typeof") || (right.type === "UnaryExpression" && right.operator === "typeof"))
  ) {
    const [u, lit] = left.type === "UnaryExpression" ? [left, right] : [right, left];
    const key = pathKey(u.argument);
    const type = constantString(I, lit);
    if (!key || !type || positive !== equal) return null;
    if (type === "string") return [{ key, mask: NOSQL }];
    if (type === "number" || type === "boolean") return [{ key, mask: ALL_KINDS }];
    return null;
  }
  // list.indexOf(x) !== -1 / >= 0 / > -1 ; s.indexOf("..") === -1
  const indexCall = left.type === "CallExpression" ? left : right.type === "CallExpression" ? right : null;
  if (indexCall && unwrap(indexCall.callee).type === "MemberExpression" && unwrap(indexCall.callee).property?.name === "indexOf") {
    const other = indexCall === left ? right : left;
    const minusOne = other.type === "UnaryExpression" && other.operator === "-" && other.argument.value === 1;
    const zero = other.type === "Literal" && other.value === 0;
    let found: boolean | null = null;
    if (minusOne && (equal || notEqual)) found = notEqual;
    else if (minusOne && op === ">" && indexCall === left) found = true;
    else if (zero && op === ">=" && indexCall === left) found = true;
    else if (zero && op === "<" && indexCall === left) found = false;
    if (found === null) return null;
    return membership(I, indexCall, positive === found);
  }
  if (!equal && !notEqual) return null;
  const eq = positive === equal;
  const [subject, constant] = isConstant(I, right) ? [left, right] : isConstant(I, left) ? [right, left] : [null, null];
  if (!subject || !constant) return null;
  const value = constantString(I, constant);
  const protocol = subject.type === "MemberExpression" && !subject.computed && subject.property.name === "protocol";
  if (eq) return protocol && value !== null && SCRIPT_SCHEME.test(value) ? null : pinned(I, subject);
  // `if (u.protocol === "javascript:") return;`: a parsed URL's protocol is normalised, so the blocklist holds.
  if (protocol && value !== null && SCRIPT_SCHEME.test(value)) {
    return urlObjectEffects(I, unwrap(subject.object), SCHEME);
  }
  const key = pathKey(subject);
  if (key && value !== null && POLLUTING_KEYS.has(value)) return [{ key, mask: PROTO }];
  return null;
}

/** `COLL.includes(x)`, `COLL.has(x)`, `COLL.indexOf(x)` (found), or `s.includes("..")` / `s.indexOf("..")`. */
function membership(I: ModelHost, c: JsNode, found: boolean): Effects {
  const callee = unwrap(c.callee);
  const arg = c.arguments[0];
  // A plain call (`has(o, k)`, a project helper) has no collection to read.
  if (!arg || callee.type !== "MemberExpression") return null;
  const coll = unwrap(callee.object);
  if (found && constantCollection(I, coll)) return pinned(I, arg);
  const needle = constantString(I, arg);
  if (!found && needle !== null && (needle === ".." || needle === "../" || needle === "..\\")) {
    const key = pathKey(coll);
    return key ? [{ key, mask: PATH }] : null;
  }
  return null;
}

function constantCollection(I: ModelHost, node: JsNode): boolean {
  const n = unwrap(node);
  if (n.type === "ArrayExpression") return n.elements.length > 0 && n.elements.every((e: JsNode | null) => e && isConstant(I, e));
  if (n.type === "NewExpression" && unwrap(n.callee).type === "Identifier" && unwrap(n.callee).name === "Set") {
    const a = n.arguments[0] ? unwrap(n.arguments[0]) : null;
    return !!a && constantCollection(I, a);
  }
  if (n.type === "CallExpression") {
    const callee = unwrap(n.callee);
    if (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.object.name === "Object" && callee.property.name === "keys")
      return true;
    return false;
  }
  const key = pathKey(n);
  if (key === null) return false;
  if (n.type === "Identifier") {
    const v = I.valueOf(n.name);
    if (v)
      return !v.taint && (!!(v.flags & F_CONST_COLL) || ((v.model === null || !!v.props) && (ALLOWLIST_NAME.test(n.name) || /^[A-Z][A-Z0-9_]+$/.test(n.name))));
  }
  const last = key.slice(key.lastIndexOf(".") + 1);
  return ALLOWLIST_NAME.test(last) || /^[A-Z][A-Z0-9_]+$/.test(last);
}

/**
 * An anchored pattern of safe characters: `/^[a-z0-9_-]+$/i`, `/^\d+$/`. Dots allowed except for
 * paths. It bounds the alphabet, not the length: a long run of allowed characters can still pump
 * another pattern's backtracking, so it does not clear ReDoS.
 */
function allowlistRegex(node: JsNode): number {
  const n = unwrap(node);
  if (n.type !== "Literal" || !n.regex) return 0;
  const p: string = n.regex.pattern;
  if (!p.startsWith("^") || !p.endsWith("$") || p.endsWith("\\$")) return 0;
  const inner = p.slice(1, -1);
  if (inner.length === 0 || inner.length > 200) return 0;
  if (!/^(?:\[(?:[A-Za-z0-9_ ]|\\[wd.\-_]|-|\.)+\]|\\[wd]|[A-Za-z0-9_-]|[+*?]|\{\d+(?:,\d*)?\}|\((?:\?:)?|\)|\|)+$/.test(inner)) return 0;
  return (inner.includes(".") ? ALL_KINDS & ~PATH : ALL_KINDS) & ~REDOS;
}

/**
 * A test that the value is a path on the site's own origin: `/^\/(?![/\\\t\n\r])/`, a "/" not
 * followed by a second "/" or "\", which browsers read as one, nor by a tab or line break, which
 * URL parsing drops first. Such a value cannot point a redirect at another host or a `javascript:`
 * URL. Without the `m` flag only: with it, `^` also matches after a line break.
 */
function localPathRegex(node: JsNode): number {
  const n = unwrap(node);
  if (n.type !== "Literal" || !n.regex || n.regex.flags.includes("m")) return 0;
  const m = /^\^(?:\\\/|\/)\(\?!\[([^\]^][^\]]*)\]\)$/.exec(n.regex.pattern);
  if (!m) return 0;
  const excluded = m[1]!;
  const slash = excluded.includes("/");
  const backslash = excluded.includes("\\\\");
  const breaks = excluded.includes("\\s") || ["\\t", "\\n", "\\r"].every((c) => excluded.includes(c));
  return slash && backslash && breaks ? SCHEME_SAFE : 0;
}

function call(I: ModelHost, c: JsNode, positive: boolean): Effects {
  const callee = unwrap(c.callee);
  const args: JsNode[] = c.arguments;
  const method = callee.type === "MemberExpression" && !callee.computed ? callee.property.name : callee.type === "Identifier" ? callee.name : null;
  if (!method) return null;
  const obj = callee.type === "MemberExpression" ? unwrap(callee.object) : null;
  const objName = obj ? pathKey(obj) : null;
  switch (method) {
    case "includes":
    case "has":
      return membership(I, c, positive);
    case "startsWith": {
      if (!positive || !obj) return null;
      const key = pathKey(obj);
      if (!key) return null;
      const prefix = args[0] ? constantString(I, args[0]) : null;
      if (prefix !== null && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\//i.test(prefix)) return [{ key, mask: URL_KINDS }];
      const v = obj.type === "Identifier" ? I.valueOf(obj.name) : null;
      let mask = v && v.flags & F_NORMALIZED && args[0] && prefix !== "/" ? PATH : 0;
      if (prefix !== null && SAFE_SCHEME_PREFIX.test(prefix) && !SCRIPT_SCHEME.test(prefix)) mask |= SCHEME;
      return mask ? [{ key, mask }] : null;
    }
    case "test": {
      if (!positive || !obj || !args[0]) return null;
      let mask = allowlistRegex(obj) || localPathRegex(obj);
      if (!mask && obj.type === "Identifier") {
        const v = I.valueOf(obj.name);
        if (v?.regex) mask = allowlistRegex(v.regex) || localPathRegex(v.regex);
      }
      const key = pathKey(args[0]);
      return mask && key ? [{ key, mask }] : null;
    }
    default: {
      const guard = guardOf(method);
      if (!guard || positive !== guard.holds) return null;
      if (guard.receiver && !(objName === null ? guard.orPlain : guard.receiver.test(objName))) return null;
      const arg = args[guard.argument];
      const key = arg ? pathKey(arg) : null;
      return key ? [{ key, mask: guard.mask }] : null;
    }
  }
}

/**
 * Whether a statement always leaves the enclosing block (return, throw, break, continue, or a
 * call the models say does not come back, such as `process.exit(1)` or Koa's `ctx.throw(400)`):
 * after `if (!ok) return;` the negative effects of the test hold.
 */
export function exits(s: JsNode): boolean {
  switch (s.type) {
    case "ReturnStatement":
    case "ThrowStatement":
    case "ContinueStatement":
    case "BreakStatement":
      return true;
    case "BlockStatement":
      return s.body.some(exits);
    case "IfStatement":
      return !!s.alternate && exits(s.consequent) && exits(s.alternate);
    case "TryStatement":
      return exits(s.block) && (!s.handler || exits(s.handler.body));
    case "ExpressionStatement": {
      const e = unwrap(s.expression);
      const callee = e.type === "CallExpression" ? unwrap(e.callee) : null;
      if (callee?.type !== "MemberExpression" || callee.computed) return false;
      const exit = exitCall(callee.property.name);
      if (!exit) return false;
      const obj = unwrap(callee.object);
      return exit.receiver === undefined || (obj.type === "Identifier" && obj.name === exit.receiver);
    }
    default:
      return false;
  }
}
