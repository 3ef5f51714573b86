/**
 * The language's own built-ins: global functions and constants, `JSON`, `Object`, `Array`,
 * `Promise`, `Number`, `String`, `RegExp`, `eval` and `Function`, and the methods of strings,
 * arrays and promises. They carry attacker data along, convert it to numbers (which makes it
 * safe), or run it as code. `replace` with an allowlist pattern is a sanitiser in disguise.
 */
import { unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { ALL_KINDS, HTML, PATH, REGEX, SQL } from "../taint/kinds";
import {
  asText,
  concat,
  F_ARRAY,
  F_CONST_COLL,
  F_LITERAL_OBJ,
  F_NULL_PROTO,
  F_NUMERIC,
  F_REGEX,
  F_SYM,
  join,
  noteProperty,
  NUMERIC,
  objectValue,
  partsOf,
  sanitize,
  shallowCopy,
  strValue,
  textValue,
  TRUE,
  UNKNOWN,
  type Part,
  Value,
} from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { GuardRow, LibraryModel, MethodRow, SinkRow, SummaryRow } from "./rows";
import { encodedText } from "./node-builtins";
import { constantPattern, reportBacktracking, reportCallSink } from "./sink-report";

/** `new Function(a, b, body)`: the body is the last argument, but any argument is code. */
function functionConstructor(host: ModelHost, site: CallSite, kind: number): void {
  const body = site.args[site.args.length - 1];
  reportCallSink(host, site, kind, body?.taint ? body : site.args.find((a) => a.taint), "as JavaScript code", "text");
}

/** `s.match(x)`: attacker text, not a regular expression literal, becomes the pattern of a string that is not itself attacker data. */
function patternArgument(_host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  // A library object's `search` (an LDAP or Elasticsearch client) is no String method.
  return !!a && !(a.flags & F_LITERAL_OBJ) && !!a.taint && !a.regex && !site.recv?.taint && site.recv?.model?.kind !== "module";
}

/** `new RegExp("^\\d+$", "i")`: a regular expression of constant text (or a copy of a literal) is a regex value, as a literal is. */
function regexConstructor(_host: ModelHost, site: CallSite): Value {
  const source = constantPattern(site.args[0], true);
  const flags = site.args[1] === undefined ? (source?.flags ?? "") : site.args[1].str;
  if (!source || flags === null || site.args[1]?.taint) return UNKNOWN;
  const r = new Value();
  r.flags = F_REGEX;
  r.regex = { type: "Literal", start: site.node.start, end: site.node.end, regex: { pattern: source.pattern, flags } };
  return r;
}

/** Methods that match a regular expression against attacker text: `re.test(s)`, `s.match(re)`, `s.replace(re, …)`. */
const MATCHING_METHODS = ["test", "exec", "match", "matchAll", "search", "replace", "replaceAll", "split"];
/** Of these, the ones that compile a string argument as a pattern (`s.match("a+")`). */
const STRING_AS_PATTERN = new Set(["match", "matchAll", "search"]);

/** The regex and subject of a matching call: the receiver and argument of `test`/`exec`, the argument and receiver of the string methods. */
function matchingCall(site: CallSite): { regex: { pattern: string; flags: string }; subject: Value } | null {
  const method = site.method!;
  const own = method === "test" || method === "exec";
  const subject = own ? site.args[0] : site.recv;
  if (!subject?.taint) return null;
  const regex = constantPattern(own ? (site.recv ?? undefined) : site.args[0], STRING_AS_PATTERN.has(method));
  return regex ? { regex, subject } : null;
}

/** An array whose elements are `elem`. */
function arrayOf(elem: Value): Value {
  const arr = objectValue(new Map());
  arr.flags |= F_ARRAY;
  arr.elem = elem;
  if (elem.taint) arr.taint = elem.taint;
  arr.flags |= elem.flags & F_SYM;
  return arr;
}

/** `new Set(list)`, `new Map(entries)`: a collection of what it was built from; a constant list stays an allowlist. */
function collection(_host: ModelHost, site: CallSite): Value {
  const a = site.args[0];
  if (!a) return objectValue(new Map());
  const out = shallowCopy(a);
  out.flags |= F_LITERAL_OBJ;
  return out;
}

/** `Object.create(null)`: an object with no prototype for `__proto__` to reach. */
function objectCreate(_host: ModelHost, site: CallSite): Value {
  const out = objectValue(new Map());
  const proto = site.args[0];
  if (proto && proto.flags & F_NUMERIC && proto !== TRUE) out.flags |= F_NULL_PROTO;
  return out;
}

/** `Object.assign(target, …sources)`: an object literal target gets the sources' properties. */
function objectAssign(_host: ModelHost, site: CallSite): Value {
  const target = site.args[0] ?? UNKNOWN;
  let out = target;
  for (const src of site.args.slice(1)) {
    if (target.props && target.flags & F_LITERAL_OBJ && !Object.isFrozen(target)) {
      if (src.props) for (const [k, v] of src.props) target.props.set(k, v);
      else if (src.taint) target.elem = target.elem ? join(target.elem, src) : src;
      noteProperty(target, src);
    } else out = join(out, src);
  }
  return out;
}

function objectEntries(host: ModelHost, site: CallSite): Value {
  const a = site.args[0] ?? UNKNOWN;
  const pair = objectValue(
    new Map([
      ["0", host.keyOf(a)],
      ["1", host.anyProp(a)],
    ]),
  );
  pair.flags |= F_ARRAY;
  return arrayOf(pair);
}

/** `Array.from(items, mapFn)`: the items, or what the mapping callback makes of each. */
function arrayFrom(host: ModelHost, site: CallSite): Value {
  const a = site.args[0] ?? UNKNOWN;
  const map = site.args[1]?.fn;
  return map ? arrayOf(host.callInline(map, [host.elementOf(a)], UNKNOWN, "call")) : a;
}

const SUMMARIES: SummaryRow[] = [
  ...[
    "Number",
    "parseInt",
    "parseFloat",
    "Number.parseInt",
    "Number.parseFloat",
    "BigInt",
    "Boolean",
    "isNaN",
    "isFinite",
    "Number.isInteger",
    "Number.isFinite",
    "Number.isSafeInteger",
    "Number.isNaN",
    "Date",
    "Date.parse",
    "Date.now",
    "Array.isArray",
  ].map((f): SummaryRow => ({ call: `global:${f}`, returns: "number" })),
  ...["String", "decodeURIComponent", "decodeURI", "unescape"].map((f): SummaryRow => ({ call: `global:${f}`, returns: "text" })),
  { call: "global:JSON.stringify", returns: "serialised" },
  { call: "global:JSON.parse", returns: "parsed" },
  { call: "global:Object.fromEntries", returns: "parsed" },
  { call: "global:String.raw", returns: "formatted" },
  { call: "global:Object.freeze", returns: "argument" },
  { call: "global:Promise.resolve", returns: "argument" },
  // URL-encoding: no markup, and no scheme or host an attacker could introduce.
  { call: "global:encodeURIComponent", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
  { call: "global:escape", returns: "text", sanitises: ["xss", "ssrf", "open-redirect"] },
  { call: "global:encodeURI", returns: "text", sanitises: ["xss"] },
  { call: "global:RegExp.escape", returns: "text", sanitises: ["regex-injection"] },
  { call: "global:RegExp", effect: regexConstructor },
  ...["Set", "Map", "WeakSet", "WeakMap"].map((c): SummaryRow => ({ call: `global:${c}`, effect: collection })),
  { call: "global:Object.create", effect: objectCreate },
  { call: "global:Object.assign", effect: objectAssign },
  { call: "global:Object.keys", effect: (host, site) => arrayOf(host.keyOf(site.args[0] ?? UNKNOWN)) },
  { call: "global:Object.values", effect: (host, site) => arrayOf(host.anyProp(site.args[0] ?? UNKNOWN)) },
  { call: "global:Object.entries", effect: objectEntries },
  { call: "global:Array.from", effect: arrayFrom },
  { call: "global:Array.of", effect: (_host, site) => arrayOf(site.args.reduce((acc, v) => join(acc, v), UNKNOWN)) },
  ...["all", "allSettled", "race", "any"].map((f): SummaryRow => ({ call: `global:Promise.${f}`, effect: (_host, site) => site.args[0] ?? UNKNOWN })),
];

// ---------------------------------------------------------------- methods of strings, arrays and promises

/** Array methods that take a callback. */
const ITERATION_METHODS = new Set(["map", "flatMap", "filter", "sort", "forEach", "some", "every", "findIndex"]);
/** String methods whose result is the receiver's text, still the attacker's. */
const STRING_KEEP = new Set([
  "trim",
  "trimStart",
  "trimEnd",
  "trimLeft",
  "trimRight",
  "toLowerCase",
  "toUpperCase",
  "toLocaleLowerCase",
  "toLocaleUpperCase",
  "slice",
  "substring",
  "substr",
  "padStart",
  "padEnd",
  "normalize",
  "repeat",
  "at",
  "charAt",
  "toString",
  "valueOf",
  "toJSON",
  "replaceAll",
  "replace",
  "concat",
  "toFixed",
]);
/** Methods whose result is a number or boolean. */
const NUMERIC_METHODS = new Set([
  "indexOf",
  "lastIndexOf",
  "search",
  "charCodeAt",
  "codePointAt",
  "localeCompare",
  "includes",
  "startsWith",
  "endsWith",
  "test",
  "has",
  "some",
  "every",
  "findIndex",
  "findLastIndex",
  "isArray",
  "size",
  "getTime",
]);
/** Every other method `builtinMethod` knows. */
const OTHER_METHODS = [
  "then",
  "catch",
  "finally",
  "toSorted",
  "find",
  "findLast",
  "reduce",
  "reduceRight",
  "push",
  "unshift",
  "join",
  "split",
  "match",
  "matchAll",
  "pop",
  "shift",
  "keys",
  "values",
  "entries",
  "reverse",
  "toReversed",
  "flat",
];

/** Methods of plain values: strings, arrays, promises. */
function builtinMethod(host: ModelHost, recv: Value, site: CallSite): Value | null {
  const method = site.method!;
  const args = site.args;
  const cb = args.find((a) => a.fn)?.fn ?? null;
  if (!cb && args[0] && ITERATION_METHODS.has(method)) {
    // `ids.map(Number)`, `names.map(String)`: apply a known function to the elements.
    if (method === "map" || method === "flatMap")
      return arrayOf(host.callLibrary({ ...site, args: [host.elementOf(recv)], recv: null, method: null, fn: args[0] }));
    if (method === "filter" || method === "sort") return recv.taint || recv.elem ? recv : UNKNOWN;
    return method === "forEach" || method === "some" || method === "every" || method === "findIndex" ? NUMERIC : null;
  }
  // `buf.toString("hex")`: an encoding name, not a radix; node-builtins says what text of each encoding holds.
  if (method === "toString" && typeof args[0]?.str === "string") return encodedText(recv, args[0].str);
  switch (method) {
    case "then": {
      const ok = args[0]?.fn;
      const out = ok ? host.callInline(ok, [recv], UNKNOWN, "call") : recv;
      if (args[1]?.fn) host.callInline(args[1].fn, [UNKNOWN], UNKNOWN, "call");
      return out;
    }
    case "catch":
    case "finally":
      if (cb) host.callInline(cb, [UNKNOWN], UNKNOWN, "call");
      return recv;
    case "map":
    case "flatMap":
      if (cb) {
        const out = host.callInline(cb, [host.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return arrayOf(method === "flatMap" ? join(host.elementOf(out), out.flags & F_ARRAY ? UNKNOWN : out) : out);
      }
      break;
    case "forEach":
      if (cb) host.callInline(cb, [host.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
      return NUMERIC;
    case "filter":
    case "sort":
    case "toSorted":
      if (cb) host.callInline(cb, [host.elementOf(recv), host.elementOf(recv)], UNKNOWN, "call");
      return recv.taint || recv.elem ? recv : UNKNOWN;
    case "find":
    case "findLast":
      if (cb) {
        host.callInline(cb, [host.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return host.elementOf(recv);
      }
      break;
    case "some":
    case "every":
    case "findIndex":
    case "findLastIndex":
      if (cb) host.callInline(cb, [host.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
      return NUMERIC;
    case "reduce":
    case "reduceRight":
      if (cb) {
        const init = args.length > 1 ? args[1]! : host.elementOf(recv);
        const out = host.callInline(cb, [init, host.elementOf(recv), NUMERIC, recv], UNKNOWN, "call");
        return join(out, init);
      }
      break;
    case "push":
    case "unshift":
      if (recv.flags & F_LITERAL_OBJ && !Object.isFrozen(recv)) {
        for (const a of args) {
          recv.elem = recv.elem && recv.elem !== UNKNOWN ? join(recv.elem, a) : a;
          noteProperty(recv, a);
        }
        recv.flags &= ~F_CONST_COLL;
      }
      return NUMERIC;
    case "join":
      if (recv.flags & F_ARRAY || recv.elem) return joinArray(host, recv, args[0]);
      break;
    case "split":
    case "match":
    case "matchAll":
      if (recv.taint) return arrayOf(asText(recv));
      return null;
    case "pop":
    case "shift":
      return host.elementOf(recv);
    case "keys":
      return recv.taint ? arrayOf(host.keyOf(recv)) : null;
    case "values":
    case "entries":
      return recv.taint ? recv : null;
    default:
      break;
  }
  if (recv.taint || recv.str !== null || recv.parts) {
    if (NUMERIC_METHODS.has(method)) return NUMERIC;
    if (method === "replace" || method === "replaceAll") return replaced(recv, site);
    if (method === "concat" && !(recv.flags & F_ARRAY)) {
      let acc = asText(recv);
      for (const a of args) acc = concat(acc, asText(a));
      return acc;
    }
    if (recv.flags & F_ARRAY && (method === "slice" || method === "concat" || method === "reverse" || method === "toReversed" || method === "flat")) {
      let acc = recv;
      if (method === "concat") for (const a of args) acc = join(acc, a);
      return acc;
    }
    if (STRING_KEEP.has(method)) {
      if (recv.str !== null && !recv.taint) return strMethod(recv.str, method, args);
      return asText(recv);
    }
  }
  return null;
}

/** A string method on a constant: the constant result where it is simple to compute. */
function strMethod(s: string, method: string, args: Value[]): Value {
  switch (method) {
    case "trim":
      return strValue(s.trim());
    case "toLowerCase":
      return strValue(s.toLowerCase());
    case "toUpperCase":
      return strValue(s.toUpperCase());
    case "toString":
    case "valueOf":
      return strValue(s);
    case "concat":
      return args.every((a) => a.str !== null) ? strValue(s + args.map((a) => a.str).join("")) : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** `arr.join(sep)`: the elements' text with the separator between. */
function joinArray(host: ModelHost, arr: Value, sepValue: Value | undefined): Value {
  const sep = sepValue === undefined ? "," : (sepValue.str ?? " ");
  if (
    arr.props &&
    arr.props.size > 0 &&
    arr.props.size <= 16 &&
    (!arr.elem ||
      [...arr.props.values()].some((v) => v === arr.elem) ||
      arr.elem === UNKNOWN ||
      !arr.elem.taint ||
      [...arr.props.values()].some((v) => v.taint === arr.elem!.taint))
  ) {
    const parts: Part[] = [];
    let i = 0;
    for (const v of arr.props.values()) {
      if (i++ > 0) parts.push(sep);
      for (const p of partsOf(asText(v))) parts.push(p);
    }
    if (arr.elem && arr.elem.taint && ![...arr.props.values()].some((v) => v.taint === arr.elem!.taint)) {
      parts.push(sep);
      for (const p of partsOf(asText(arr.elem))) parts.push(p);
    }
    return textValue(parts);
  }
  const e = host.elementOf(arr);
  return e.taint ? asText(e) : UNKNOWN;
}

/**
 * `"Hello _name_".replace(/_name_/g, req.query.name)`: attacker text spliced into constant text
 * (Juice Shop builds a pug template so). A plain needle is replaced where it stands; any other
 * pattern puts the replacement after the text, which keeps the taint though not the position.
 */
function replacedWith(str: string, patNode: JsNode | null, site: CallSite): Value {
  const piece = partsOf(asText(site.args[1]!));
  const regex = patNode?.type === "Literal" && patNode.regex ? patNode.regex : null;
  const needle = regex ? (/^[\w\s:{}<>@#%=-]+$/.test(regex.pattern) ? regex.pattern : null) : (site.args[0]?.str ?? null);
  const global = regex ? regex.flags.includes("g") : site.method === "replaceAll";
  const at = needle ? str.indexOf(needle) : -1;
  if (!needle || at === -1) return textValue([str, ...piece]);
  const chunks = global ? str.split(needle) : [str.slice(0, at), str.slice(at + needle.length)];
  const parts: Part[] = [];
  chunks.forEach((c, i) => {
    if (i > 0) parts.push(...piece);
    parts.push(c);
  });
  return textValue(parts);
}

/**
 * `s.replace(pattern, replacement)`: an allowlist that deletes everything but safe characters
 * (`/[^a-z0-9]/g, ""`) makes the text safe for everything; quote doubling makes it safe for SQL;
 * `<` → `&lt;` for HTML; escaping regex metacharacters (`"\\$&"`) for regular expressions.
 */
function replaced(recv: Value, site: CallSite): Value {
  const text = asText(recv);
  const patNode = site.node.arguments?.[0] ? unwrap(site.node.arguments[0]) : null;
  if (!text.taint)
    return recv.str !== null && site.args[1]?.taint && !site.args[1].fn ? replacedWith(recv.str, patNode, site) : recv.str !== null ? UNKNOWN : text;
  const replacement = site.args[1]?.str ?? null;
  const pattern: string | null = patNode?.type === "Literal" && patNode.regex ? patNode.regex.pattern : (site.args[0]?.str ?? null);
  const global = patNode?.type === "Literal" && patNode.regex ? patNode.regex.flags.includes("g") : site.method === "replaceAll";
  if (pattern === null || replacement === null || !global) return text;
  if (replacement === "" && /^\[\^(?:[A-Za-z0-9_ ]|\\[wd]|[a-zA-Z0-9]-[a-zA-Z0-9]|-)+\]\+?$/.test(pattern)) {
    return sanitize(text, pattern.includes(".") ? ALL_KINDS & ~PATH : ALL_KINDS);
  }
  if (replacement === "\\$&" && pattern.includes("*") && pattern.includes("+") && pattern.includes("?") && pattern.includes("\\\\"))
    return sanitize(text, REGEX);
  if (pattern.includes("'") && (replacement === "''" || replacement === "\\'")) return sanitize(text, SQL);
  if (pattern.includes("<") && replacement.includes("&lt;")) return sanitize(text, HTML);
  return text;
}

const METHODS: MethodRow[] = [...new Set([...ITERATION_METHODS, ...STRING_KEEP, ...NUMERIC_METHODS, ...OTHER_METHODS])].map((method) => ({
  method,
  effect: builtinMethod,
}));

export const model: LibraryModel = {
  id: "ecmascript",
  description:
    "ECMAScript built-ins: global functions and constants, JSON, Object, Array, Promise, Number, String, RegExp, eval, string/array/promise methods, and the regex matching methods attacker text reaches (ReDoS).",
  fixtures: [
    "code-injection/pricing-rules.js",
    "regex-injection/search-filters.ts",
    "prototype-pollution/preferences.js",
    "redos/payment-fields.ts",
    "redos/known-vulnerable-patterns.js",
    "redos/checkout-route.ts",
  ],
  constants: [{ read: "global:undefined" }, { read: "global:NaN" }, { read: "global:Infinity" }],
  summaries: SUMMARIES,
  methods: METHODS,
  guards: [
    // An own property is not `__proto__` or `constructor`.
    { check: "hasOwnProperty", argument: 0, holds: true, sanitises: ["prototype-pollution"] },
    { check: "hasOwn", argument: 1, holds: true, sanitises: ["prototype-pollution"] },
    { check: "call", receiver: /hasOwnProperty$/, argument: 1, holds: true, sanitises: ["prototype-pollution"] },
    { check: "isNaN", argument: 0, holds: false, sanitises: "everything" },
    ...["isInteger", "isSafeInteger", "isFinite"].map((check): GuardRow => ({
      check,
      receiver: /^Number$/,
      argument: 0,
      holds: true,
      sanitises: "everything",
    })),
  ],
  sinks: [
    { call: "global:eval", argument: 0, rule: "code-injection", what: "as JavaScript code", mode: "text" },
    { call: "global:Function", rule: "code-injection", effect: functionConstructor },
    { call: "global:RegExp", argument: 0, rule: "regex-injection", what: "as a regular expression pattern", mode: "text" },
    ...["match", "matchAll", "search"].map((method): SinkRow => ({
      method,
      receiver: "any",
      when: patternArgument,
      argument: 0,
      rule: "regex-injection",
      what: "as a regular expression pattern",
      mode: "text",
      confidence: "medium",
    })),
    ...MATCHING_METHODS.map((method): SinkRow => ({
      method,
      receiver: "any",
      rule: "redos",
      when: (_host, site) => matchingCall(site) !== null,
      effect: (host, site, kind) => {
        const m = matchingCall(site)!;
        reportBacktracking(host, site, kind, m.regex, m.subject);
      },
    })),
  ],
};
