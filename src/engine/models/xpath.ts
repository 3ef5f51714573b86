/**
 * XPath over XML documents: the `xpath` package (`select`, `select1`, `evaluate`, `parse`, the
 * select function `useNamespaces` returns) used with xmldom, `xpath.js`, libxmljs documents'
 * `get`/`find`, and the browser's `document.evaluate`. An expression built from request text can leave its string literal and
 * add conditions (`' or '1'='1`) or whole paths (`| //*`); variables (`$name` with
 * `parse(expr).select({ variables })`) are the safe form.
 */
import { fileMentions } from "./file-mentions";
import { moduleValue } from "./import-resolver";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";

const WHAT = "as an XPath expression";

/**
 * A DOM `evaluate(expression, contextNode, resolver, type, result)` call: the browser's
 * XPathEvaluator shape, told apart from other `evaluate` methods (math.js, compiled templates)
 * by its context node and the XPathResult type it asks for.
 */
function domEvaluate(host: ModelHost, site: CallSite): boolean {
  const type = site.node.arguments?.[3];
  // Library functions (xpath.evaluate, document.evaluate) have rows of their own.
  if (!type || site.args.length < 4 || site.fn.model) return false;
  const text = host.file.text.slice(type.start, Math.min(type.end, type.start + 200));
  return /XPathResult\b|^\d$/.test(text);
}

const usesLibxmljs = fileMentions("libxmljs");

/**
 * libxmljs `doc.get(xpath)` / `doc.find(xpath, ns)`: in a file that uses libxmljs, a `get` or
 * `find` on an object no model knows, whose text argument starts like a location path (`/`,
 * `./`, `//`). Arrays' `find` takes a function and maps' `get` a key, neither of which starts so.
 */
function libxmljsQuery(host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  // A library's own get (`axios.get("/users/" + id)`) is a modelled module, not a document.
  if (!a || site.args.length > 2 || site.recv?.model || site.fn.model || !usesLibxmljs(host.file)) return false;
  const first = a.parts ? a.parts[0] : a.str;
  return typeof first === "string" && /^\s*\.?\//.test(first);
}

const SINKS: SinkRow[] = [
  { call: "xpath.js:", argument: 1, rule: "xpath-injection", what: WHAT, mode: "text" },
  ...["get", "find"].map((method): SinkRow => ({
    method,
    receiver: "any",
    when: libxmljsQuery,
    argument: 0,
    rule: "xpath-injection",
    what: WHAT,
    mode: "text",
    passThrough: true,
  })),
  ...["select", "select1", "evaluate", "parse"].map((f): SinkRow => ({ call: `xpath:${f}`, argument: 0, rule: "xpath-injection", what: WHAT, mode: "text" })),
  { call: "global:document.evaluate", argument: 0, rule: "xpath-injection", what: WHAT, mode: "text" },
  { method: "evaluate", receiver: "any", when: domEvaluate, argument: 0, rule: "xpath-injection", what: WHAT, mode: "text" },
];

// `xpath.useNamespaces(map)` gives back a select function.
const SUMMARIES: SummaryRow[] = [{ call: "xpath:useNamespaces", effect: () => moduleValue("xpath", ["select"]) }];

export const model: LibraryModel = {
  id: "xpath",
  description: "XPath expressions: the xpath package (with xmldom), xpath.js, libxmljs get/find and the browser's document.evaluate.",
  fixtures: [
    "xpath-injection/user-directory.js",
    "xpath-injection/saml-attributes.ts",
    "xpath-injection/catalog-filter.js",
    "xpath-injection/invoice-lookup.js",
  ],
  summaries: SUMMARIES,
  sinks: SINKS,
};
