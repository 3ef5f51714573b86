/**
 * Reporting a value that reached a call sink, shared by the generic sink rows (taint/sinks.ts)
 * and the families' sink effects: the sink as written, the range it is reported at, and small
 * readers of the arguments sinks look at (constant text, `{ shell: true }`-style options).
 */
import type { JsNode } from "../parse/js";
import { TRUE, type Value } from "../taint/value";
import type { Confidence } from "../types";
import type { CallSite, ModelHost, SinkMode, SinkSpec } from "./host";
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
export function reportCallSink(host: ModelHost, site: CallSite, kind: number, value: Value | undefined, what: string, mode: SinkMode, confidence: Confidence = "high", prefix?: string): void {
  if (!value || !value.taint) return;
  const spec: SinkSpec = { kind, label: calleeLabel(host, site), what, mode, confidence };
  if (prefix) spec.prefix = prefix;
  host.sink(spec, sinkRange(host, site), value);
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
