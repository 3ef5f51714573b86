/**
 * Reporting a value that reached a call sink, shared by the generic sink rows (taint/sinks.ts)
 * and the families' sink effects: the sink as written, the range it is reported at, and small
 * readers of the arguments sinks look at (constant text, `{ shell: true }`-style options).
 */
import type { JsNode } from "../parse/js";
import { describeGrowth, regexProof, regexRisk } from "../redos/index";
import { Hole, TRUE, type Value } from "../taint/value";
import type { Confidence } from "../types";
import type { CallSite, ModelHost, SinkMode, SinkSpec } from "./host";
import { SQL } from "../taint/kinds";
import { sqlDialectOf } from "./sql-dialects";
import type { SinkEffect } from "./rows";

/** `pool.query()`, `new Function()`: the callee as written, clipped. */
function calleeLabel(host: ModelHost, site: CallSite): string {
  const t = host.text(site.callee);
  const short = t.length <= 40 ? t : site.method !== null ? `….${site.method}` : t.slice(0, 39) + "…";
  return (site.isNew ? "new " : "") + short + "()";
}

/**
 * Where a call sink is reported: the call, or from the method name on when a chain spans lines
 * (`repo\n  .createQueryBuilder()\n  .where(…)` is reported at `.where`).
 */
function sinkRange(host: ModelHost, site: CallSite): JsNode {
  const callee = site.callee;
  if (callee.type !== "MemberExpression") return site.node;
  const from = callee.property.start;
  if (host.file.text.lastIndexOf("\n", from) < site.node.start) return site.node;
  return { type: "SinkRange", start: from, end: site.node.end };
}

/** Reports `value` reaching a call sink of `kind`, when it carries attacker data. */
export function reportCallSink(
  host: ModelHost,
  site: CallSite,
  kind: number,
  value: Value | undefined,
  what: string,
  mode: SinkMode,
  confidence: Confidence = "high",
  prefix?: string,
): void {
  if (!value || !value.taint) return;
  const spec: SinkSpec = { kind, label: calleeLabel(host, site), what, mode, confidence };
  if (prefix) spec.prefix = prefix;
  if (kind === SQL) {
    const dialect = sqlDialectOf(host, site);
    if (dialect) spec.dialect = dialect;
  }
  host.sink(spec, sinkRange(host, site), value);
}

/** The constant pattern and flags a value holds: a regex literal or `new RegExp("…")` of constant text, or (`asPattern`) a constant string. */
export function constantPattern(v: Value | undefined, asPattern: boolean): { pattern: string; flags: string } | null {
  const literal = v?.regex?.regex;
  if (literal) return { pattern: literal.pattern, flags: literal.flags };
  return asPattern && v && v.str !== null && !v.taint ? { pattern: v.str, flags: "" } : null;
}

/**
 * Sources whose length the HTTP server bounds (Node's default header limit is 16 kB for the
 * request line and headers together). Quadratic backtracking on them is bounded too (about a
 * second of V8 time at the limit, measured for splitting on `\s*,\s*`), where a body field of a few hundred
 * kilobytes blocks the event loop for minutes; frameworks parse such headers with exactly these
 * patterns, so only unbounded data (bodies, messages) is reported for quadratic growth.
 */
const HEADER_BOUNDED = /^(?:request headers?|Host header|query string|request URL|request path|route parameters?|cookies?)$/;

/** Whether every piece of attacker data in the value comes from a length-bounded part of the request. */
function headerBounded(v: Value): boolean {
  const taints = v.parts ? v.parts.flatMap((p) => (p instanceof Hole ? [p.taint] : [])) : v.taint ? [v.taint] : [];
  return taints.length > 0 && taints.every((t) => HEADER_BOUNDED.test(t.origin.what));
}

/**
 * Attacker text matched against a constant regular expression: reported when the ReDoS analysis
 * proves the pattern backtracks exponentially or polynomially (redos/index.ts, cached per
 * pattern). Only patterns whose subject is tainted are analysed, so library code with thousands
 * of regexes costs nothing here.
 */
export function reportBacktracking(host: ModelHost, site: CallSite, kind: number, regex: { pattern: string; flags: string }, subject: Value | undefined): void {
  if (!subject?.taint) return;
  const risk = regexRisk(regex.pattern, regex.flags);
  if (!risk || (risk.degree === 2 && headerBounded(subject))) return;
  const shown = regex.pattern.length > 60 ? regex.pattern.slice(0, 59) + "…" : regex.pattern;
  const spec: SinkSpec = {
    kind,
    label: calleeLabel(host, site),
    what: `as the input of /${shown}/${regex.flags}, whose backtracking is ${describeGrowth(risk)}`,
    mode: "text",
    confidence: risk.growth === "exponential" ? "high" : "medium",
    proof: regexProof(risk),
  };
  host.sink(spec, sinkRange(host, site), subject);
}

/**
 * The sink of a component template's binding (parse/component-script.ts turns `v-html="x"` into a
 * call of a name like `$$vh(x)`): reports the expression, at its place in the markup, under the
 * binding's name. With `unwrapRefs`, a ref's `.value` is what the template reads (Vue).
 */
export function templateBindingSink(label: string, what: string, mode: SinkMode, unwrapRefs: boolean): SinkEffect {
  return (host, site, kind) => {
    let value = site.args[0];
    if (unwrapRefs && value && !value.taint && value.props?.has("value")) value = value.props.get("value");
    const node: JsNode | undefined = site.node.arguments?.[0];
    if (value?.taint && node) host.sink({ kind, label, what, mode, confidence: "high" }, node, value);
  };
}

/** Text a value holds in its constant pieces (for "does this look like SQL / HTML"). */
export function constantText(v: Value): string {
  if (v.str !== null) return v.str;
  if (!v.parts) return "";
  let s = "";
  for (const p of v.parts) if (typeof p === "string") s += p + " ";
  return s;
}

/** Whether an options object sets any of these options to `true` (`{ noent: true }`). */
export function optionIsTrue(opts: Value | undefined, names: readonly string[]): boolean {
  if (!opts?.props) return false;
  return names.some((n) => opts.props!.get(n) === TRUE);
}
