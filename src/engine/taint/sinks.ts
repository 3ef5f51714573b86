/**
 * Where tainted data does harm: applies the sink rows of models/ to calls, assignments and JSX
 * attributes, and decides whether the attacker data in a value reaches the part of it that
 * matters to the sink (findTaint): the host of a URL, the holes of SQL text, an operator object
 * in a query document. Which argument a sink reads, for which rule and in which rendering mode
 * is the rows' business; what counts as a hit in each mode is this file's.
 *
 * Also here: same-file functions shaped like a naive recursive merge, a prototype-pollution sink
 * recognised by its shape rather than by a library name.
 */
import { unwrap } from "../js/node-values";
import type { CallSite, ModelHost, SinkMode, SinkSpec } from "../models/host";
import { callSinks, handlerPropertyPayload, jsxSink, methodSinks, objectModel, propertySinks, receiverIs, type CallSink } from "../models/index";
import type { ArgumentPick, Assignment } from "../models/rows";
import { reportCallSink } from "../models/sink-report";
import type { JsNode } from "../parse/js";
import type { Confidence } from "../types";
import { PROTO, SCHEME_SAFE } from "./kinds";
import { identityOf, runListener } from "./library-models";
import {
  F_CONTAINER,
  F_LITERAL_OBJ,
  F_NUMERIC,
  F_OWN_URL,
  F_URL,
  Hole,
  partsOf,
  taintedValue,
  textValue,
  UNKNOWN,
  Unknown,
  type FnRef,
  type Taint,
  type Value,
} from "./value";

// ---------------------------------------------------------------- deciding whether a value is a hit

/**
 * The attacker data in `v` that matters to a sink of this mode and kind, or null. With
 * `concreteOnly`, parameter (symbolic) taints are skipped.
 */
export function findTaint(mode: SinkMode, v: Value, kind: number, concreteOnly = false): Taint | null {
  const ok = (t: Taint | null): t is Taint => t !== null && (t.safe & kind) === 0 && (!concreteOnly || t.origin.param < 0);
  switch (mode) {
    case "text":
    case "koa-body": {
      if (v.flags & F_NUMERIC) return null;
      const parts = v.parts;
      if (mode === "koa-body") {
        const first = parts ? parts[0] : (v.str ?? (v.taint ? new Hole(v.taint) : null));
        const startsTainted = first instanceof Hole;
        const startsTag = typeof first === "string" && /^\s*</.test(first);
        if (!startsTainted && !startsTag) return null;
      }
      if (parts) {
        for (const p of parts) if (p instanceof Hole && ok(p.taint)) return p.taint;
        return null;
      }
      return ok(v.taint) ? v.taint : null;
    }
    case "any":
      if (v.parts) {
        for (const p of v.parts) if (p instanceof Hole && ok(p.taint)) return p.taint;
      }
      return ok(v.taint) ? v.taint : null;
    case "url":
    case "redirect":
      return urlTaint(v, mode, ok);
    case "script-url":
      return schemeTaint(v, (t): t is Taint => t !== null && (t.safe & SCHEME_SAFE) === 0 && (!concreteOnly || t.origin.param < 0));
    case "nosql":
      return nosqlTaint(v, kind, ok, 0);
  }
}

const AUTHORITY_PREFIX = /^\s*(?:[a-z][a-z0-9+.-]*:(?:\/\/?)?[^/?#\\]*)?$/i;
const REDIRECT_PREFIX = /^\s*(?:[/\\]|[a-z][a-z0-9+.-]*:(?:\/\/?)?[^/?#\\]*)?$/i;

/**
 * Attacker data that reaches a URL's scheme or host, or the start of a path where a second "/"
 * makes a host: in a redirect, and in a `new URL(path, base)` object, which resolves
 * "/" + "/attacker.example" as a network-path reference.
 */
function urlTaint(v: Value, mode: "url" | "redirect", ok: (t: Taint | null) => t is Taint): Taint | null {
  if (v.flags & F_OWN_URL) return null;
  const prefixes = mode === "url" && !(v.flags & F_URL) ? AUTHORITY_PREFIX : REDIRECT_PREFIX;
  if (!v.parts) return ok(v.taint) ? v.taint : null;
  let prefix = "";
  for (const p of v.parts) {
    if (typeof p === "string") prefix += p;
    else if (p instanceof Unknown) {
      if (prefix === "") return null; // an unknown base URL, e.g. from configuration
      prefix += "x";
    } else {
      if (ok(p.taint) && prefixes.test(prefix)) return p.taint;
      prefix += "x";
    }
    if (prefix.length > 300) return null;
  }
  return null;
}

/**
 * Attacker data that writes a URL's scheme: the value starts with it (after spaces, which URL
 * parsing drops). `"/orders/" + id` cannot become `javascript:`; a whole attacker URL can.
 */
function schemeTaint(v: Value, ok: (t: Taint | null) => t is Taint): Taint | null {
  if (v.flags & (F_OWN_URL | F_NUMERIC)) return null;
  if (!v.parts) return ok(v.taint) ? v.taint : null;
  for (const p of v.parts) {
    if (p instanceof Hole) return ok(p.taint) ? p.taint : null;
    if (p instanceof Unknown || p.trim() !== "") return null;
  }
  return null;
}

const LOGICAL_OPERATORS = new Set(["$and", "$or", "$nor"]);
/** Query operators whose value is JavaScript the server runs, and the fields of an operator object that hold it. */
export const CODE_OPERATORS: ReadonlySet<string> = new Set(["$where", "$function", "$accumulator"]);
export const CODE_OPERATOR_FIELDS = ["body", "init", "accumulate", "merge", "finalize"] as const;
const ORM_OPTION_KEYS = new Set(["where", "include", "attributes", "relations", "select", "order", "orderBy", "take", "skip", "limit", "offset", "data"]);

/**
 * Attacker data that can change a query document's meaning: a whole document, a field value
 * that may be an object (`{ "$ne": null }`), or text inside `$where`.
 */
function nosqlTaint(v: Value, kind: number, ok: (t: Taint | null) => t is Taint, depth: number): Taint | null {
  if (depth > 4) return null;
  if (v.props && v.flags & F_LITERAL_OBJ) {
    for (const k of v.props.keys()) if (ORM_OPTION_KEYS.has(k) && depth === 0) return null;
    for (const [k, pv] of v.props) {
      if (CODE_OPERATORS.has(k)) {
        for (const code of codeTexts(pv)) {
          const t = findTaint("text", code, kind);
          if (ok(t)) return t;
        }
        continue;
      }
      if (LOGICAL_OPERATORS.has(k)) {
        const docs = pv.props ? [...pv.props.values()] : pv.elem ? [pv.elem] : [pv];
        for (const d of docs) {
          const t = nosqlTaint(d, kind, ok, depth + 1);
          if (t) return t;
        }
        continue;
      }
      if (k.startsWith("$") && pv.props) {
        // An operator expression (`$expr`, `$elemMatch`) may hold a code operator deeper down.
        const t = nosqlTaint(pv, kind, (x): x is Taint => ok(x) && hasCodeOperator(pv, 0), depth + 1);
        if (t) return t;
        continue;
      }
      if (k.startsWith("$") || pv.props || pv.parts || pv.flags & F_NUMERIC) continue;
      if (pv.taint && (pv.taint.obj || pv.flags & F_CONTAINER) && ok(pv.taint)) return pv.taint;
    }
    const e = v.elem;
    if (e && e !== UNKNOWN && e.taint && (e.taint.obj || e.flags & F_CONTAINER) && !e.props && ok(e.taint)) return e.taint;
    return null;
  }
  if (v.parts || v.str !== null) return null;
  if (v.taint && (v.taint.obj || v.flags & F_CONTAINER) && ok(v.taint)) return v.taint;
  return null;
}

/** Whether a code operator appears in an operator expression (bounded depth). */
function hasCodeOperator(v: Value, depth: number): boolean {
  if (depth > 4 || !v.props) return false;
  for (const [k, pv] of v.props) if (CODE_OPERATORS.has(k) || hasCodeOperator(pv, depth + 1)) return true;
  return false;
}

/** The JavaScript texts a code operator's value holds: the value itself, or `$function`'s `body`, `$accumulator`'s `init`… */
export function codeTexts(v: Value): Value[] {
  if (!(v.props && v.flags & F_LITERAL_OBJ)) return [v];
  const out: Value[] = [];
  for (const field of CODE_OPERATOR_FIELDS) {
    const text = v.props.get(field);
    if (text) out.push(text);
  }
  return out;
}

// ---------------------------------------------------------------- calls

/** Checks a call against every sink row; `mergeRef` is set when the callee is a same-file deep-merge function. */
export function checkCallSinks(I: ModelHost, site: CallSite, mergeRef?: FnRef): void {
  if (mergeRef) {
    const src = site.args[1];
    if (src?.taint && (src.taint.obj || src.flags & F_CONTAINER))
      reportCallSink(I, site, PROTO, src, "as the source of a recursive merge that copies __proto__", "any", "medium");
    return;
  }
  const id = identityOf(site.fn);
  if (id !== null) for (const row of callSinks(id) ?? []) if (!row.when || row.when(I, site)) applySink(I, row, site);
  const rows = site.method !== null && site.recv ? methodSinks(site.method) : undefined;
  if (!rows) return;
  // The first row whose receiver and condition match is the sink; rows that pass through are looked at only when none did.
  for (const row of rows.claiming) {
    if (receiverIs(row.receiver, site) && (!row.when || row.when(I, site))) return applySink(I, row, site);
  }
  for (const row of rows.passing) if (receiverIs(row.receiver, site) && (!row.when || row.when(I, site))) applySink(I, row, site);
}

function applySink(I: ModelHost, row: CallSink, site: CallSite): void {
  if ("effect" in row) return row.effect(I, site, row.kind);
  let value = pickArgument(row.argument, site.args);
  if (row.url) value = urlOf(value);
  if (row.object && !(value?.taint && (value.taint.obj || value.flags & F_CONTAINER))) return;
  reportCallSink(I, site, row.kind, value, row.what, row.mode, row.confidence, row.prefix);
}

function pickArgument(pick: ArgumentPick, args: Value[]): Value | undefined {
  if (typeof pick === "number") return args[pick];
  if (pick === "any-after-first") return args.slice(1).find((a) => a.taint);
  for (let i = args.length - 1; i >= 0; i--) if (!(args[i]!.flags & F_NUMERIC)) return args[i];
  return undefined;
}

/** The URL in an options object (`{ url }`, `{ baseURL }`, `{ host }`), or the value itself. */
function urlOf(v: Value | undefined): Value | undefined {
  if (!v) return undefined;
  if (v.props && v.flags & F_LITERAL_OBJ) {
    const u = v.props.get("url") ?? v.props.get("uri") ?? v.props.get("baseURL") ?? v.props.get("href");
    if (u) return u;
    const host = v.props.get("hostname") ?? v.props.get("host");
    if (host?.taint) return textValue(["http://", ...partsOf(host), "/"]);
    return undefined;
  }
  return v;
}

// ---------------------------------------------------------------- assignments, JSX

function spec(kind: number, label: string, what: string, mode: SinkMode, confidence: Confidence = "high"): SinkSpec {
  return { kind, label, what, mode, confidence };
}

/** Checks `target.key = value`: attacker-keyed writes, the assignment models of modelled objects, and property sinks. Also runs handlers assigned to event properties (`self.onmessage`). */
export function checkAssignSinks(I: ModelHost, a: Assignment): void {
  const { obj, key, value, node } = a;
  const m = obj.model;
  if (obj.protoKey) {
    const keyValue = taintedValue(obj.protoKey);
    const confidence: Confidence = value.taint || a.keyValue?.taint ? "high" : "medium";
    I.sink(
      spec(PROTO, I.text(a.target), "as a key of an object read with an attacker-chosen key (may be Object.prototype)", "any", confidence),
      node,
      keyValue,
    );
  }
  if (key === null) return;
  const handler = value.fn && m?.kind === "global" ? handlerPropertyPayload(key) : undefined;
  if (handler) return runListener(I, value.fn!, handler);
  const assign = m ? objectModel(m.kind)?.assign : undefined;
  if (assign) return assign(I, m!, a);
  if (!value.taint) return;
  // Every matching row: `location.href = x` is a redirect, and XSS when x may be a javascript: URL.
  for (const row of propertySinks(key) ?? []) {
    if (row.global === undefined || (m?.kind === "global" && m.name === row.global))
      I.sink(spec(row.kind, I.text(a.target), row.what, row.mode, row.confidence), node, value);
  }
}

/** A JSX attribute that takes markup (`dangerouslySetInnerHTML={{ __html: x }}`, `srcDoc={x}`) or a URL (`<a href={x}>`), on the element named `element`. */
export function checkJsxAttribute(I: ModelHost, attr: JsNode, v: Value, element: JsNode): void {
  const name: string | null = attr.name?.type === "JSXIdentifier" ? attr.name.name : null;
  const row = name === null ? undefined : jsxSink(name);
  if (!row) return;
  if (row.elements && !(element.type === "JSXIdentifier" && row.elements.includes(element.name))) return;
  const html = row.path === undefined ? v : v.props?.get(row.path);
  const label = row.elements ? `<${element.name} ${name}>` : name!;
  if (html?.taint) I.sink(spec(row.kind, label, row.what, row.mode, row.confidence), attr, html);
}

// ---------------------------------------------------------------- recursive merge functions

const mergeCache = new WeakMap<JsNode, boolean>();

/**
 * A same-file function shaped like a naive deep merge: `(target, source)` that loops over the
 * source's keys, assigns `target[key]`, and calls itself on `target[key]`, with no check for
 * `__proto__`/`constructor` keys.
 */
export function looksLikeUnsafeMerge(ref: FnRef): boolean {
  const node = ref.node;
  const cached = mergeCache.get(node);
  if (cached !== undefined) return cached;
  let result = false;
  const [p0, p1] = (node.params ?? []) as JsNode[];
  if (p0?.type === "Identifier" && p1?.type === "Identifier" && ref.name) {
    const target = p0.name;
    let loops = false;
    let assigns = false;
    let recurses = false;
    let guarded = false;
    const stack: JsNode[] = [node.body];
    let seen = 0;
    while (stack.length > 0 && seen++ < 5000) {
      const n = stack.pop()!;
      if (!n || typeof n.type !== "string") continue;
      if (n.type === "ForInStatement" || (n.type === "CallExpression" && /^(keys|entries|forEach)$/.test(unwrap(n.callee).property?.name ?? ""))) loops = true;
      if (n.type === "Literal" && (n.value === "__proto__" || n.value === "constructor" || n.value === "prototype")) guarded = true;
      if (n.type === "Identifier" && (n.name === "hasOwn" || n.name === "isSafeKey" || n.name === "isPrototypePolluted")) guarded = true;
      if (
        n.type === "AssignmentExpression" &&
        n.left.type === "MemberExpression" &&
        n.left.computed &&
        unwrap(n.left.object).type === "Identifier" &&
        unwrap(n.left.object).name === target
      )
        assigns = true;
      if (n.type === "CallExpression" && unwrap(n.callee).type === "Identifier" && unwrap(n.callee).name === ref.name) recurses = true;
      for (const k in n) {
        if (k === "type" || k === "start" || k === "end" || k === "loc") continue;
        const c = n[k];
        if (Array.isArray(c)) {
          for (const x of c) if (x && typeof x.type === "string") stack.push(x);
        } else if (c && typeof c.type === "string") stack.push(c);
      }
    }
    result = loops && assigns && recurses && !guarded;
  }
  mergeCache.set(node, result);
  return result;
}
