/**
 * Web-platform APIs shared by browsers, Workers and Node: `URL`, `URLSearchParams`, `fetch`,
 * `Request`/`Response`, `atob`/`btoa`, `structuredClone`, timers. A `URL` built on the
 * request's own URL keeps the server's host: only its path and query are the attacker's. What
 * `fetch` gives back is stored data: rendered as markup, it is stored XSS.
 */
import { pathKey } from "../js/node-values";
import { HTML, URL_KINDS } from "../taint/kinds";
import { asText, F_CONTAINER, F_LITERAL_OBJ, F_OWN_URL, F_SYM, F_URL, sanitize, shallowCopy, taintedValue, UNKNOWN, Value } from "../taint/value";
import { API_RESPONSE, STORED_FOR_MARKUP } from "./browser-dom";
import type { CallSite, ModelHost } from "./host";
import { encoder } from "./node-builtins";
import type { LibraryModel, SinkRow, SummaryRow } from "./rows";

/**
 * `new URL(input, base)`: the URL object. A relative input on the request's own URL keeps the
 * server's host (safe for URL sinks); the alias remembers which variable it was built from, for
 * host allowlist checks on it.
 */
function urlObject(_host: ModelHost, site: CallSite): Value {
  const input = site.args[0] ?? UNKNOWN;
  const base = site.args[1];
  let out: Value;
  if (!input.taint && base?.taint) {
    const relative = input.str !== null && !/^[a-z][a-z0-9+.-]*:|^\/\/|^\\/i.test(input.str);
    out = shallowCopy(relative && base.flags & F_OWN_URL ? sanitize(base, URL_KINDS) : base);
    out.str = null;
    out.parts = null;
  } else if (input.taint) {
    out = shallowCopy(asText(input));
  } else {
    out = new Value();
    out.str = input.str;
  }
  out.flags = (out.flags & ~(F_CONTAINER | F_LITERAL_OBJ)) | F_URL | (input.flags & F_OWN_URL);
  const argNode = site.node.arguments?.[0];
  out.alias = argNode ? pathKey(argNode) : null;
  return out;
}

/** `new URLSearchParams(init)`: from an object, its values are URL-encoded when serialised; from text, the parameters the attacker wrote. */
function searchParams(_host: ModelHost, site: CallSite): Value {
  const a = site.args[0] ?? UNKNOWN;
  if (a.props) return sanitize(a, URL_KINDS | HTML);
  return a.taint ? taintedValue(a.taint.with({ obj: false }), F_CONTAINER | (a.flags & F_SYM)) : UNKNOWN;
}

// node:url exports the same URL and URLSearchParams classes.
const SUMMARIES: SummaryRow[] = [
  // atob decodes: the attacker's text again; btoa's base64 has a fixed alphabet (node-builtins).
  { call: "global:atob", returns: "text" },
  { call: "global:btoa", effect: encoder("base64") },
  // `new TextEncoder()` is the global itself: `encoder.encode(x)` is "global:TextEncoder.encode", x's bytes.
  ...["global:TextEncoder", "global:TextDecoder"].map((call): SummaryRow => ({ call, effect: (_host, site) => site.fn })),
  ...["global:TextEncoder.encode", "global:TextDecoder.decode"].map((call): SummaryRow => ({ call, returns: "text" })),
  { call: "global:structuredClone", returns: "argument" },
  { call: "global:URL", effect: urlObject },
  { call: "url:URL", effect: urlObject },
  { call: "global:URLSearchParams", effect: searchParams },
  { call: "url:URLSearchParams", effect: searchParams },
];

/** `setTimeout("code", ms)`: a string (or attacker text) where a callback belongs is evaluated. */
function stringCallback(_host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  return !!a && !a.fn && (a.str !== null || !!a.parts || (!!a.taint && !a.props));
}

/** `new Response(body, { headers: { "content-type": "text/html" } })`. */
export function htmlResponse(_host: ModelHost, site: CallSite): boolean {
  const headers: Value | undefined = site.isNew ? site.args[1]?.props?.get("headers") : undefined;
  if (!headers?.props) return false;
  for (const [k, v] of headers.props) if (k.toLowerCase() === "content-type" && v.str && /html/i.test(v.str)) return true;
  return false;
}

const SINKS: SinkRow[] = [
  { call: "global:fetch", argument: 0, url: true, rule: "ssrf", what: "as the URL of a server-side request", mode: "url" },
  { call: "global:Response", when: htmlResponse, argument: 0, rule: "xss", what: "in an HTML response", mode: "text" },
  { call: "global:Response.redirect", argument: 0, rule: "open-redirect", what: "as the target of a redirect", mode: "redirect" },
  // Timers, and Internet Explorer's execScript, evaluate a string callback.
  ...["global:setTimeout", "global:setInterval", "global:execScript"].map((call): SinkRow => ({
    call,
    when: stringCallback,
    argument: 0,
    rule: "code-injection",
    what: "as JavaScript code (a string timer callback)",
    mode: "text",
  })),
];

export const model: LibraryModel = {
  id: "web-platform",
  description: "Web-platform APIs in browsers, Workers and Node: URL, URLSearchParams, fetch, Request/Response, atob/btoa, timers.",
  fixtures: ["ssrf/link-preview.js", "xss/edge-render.ts", "apps/workers/queue-consumer.ts", "xss/order-history.js"],
  // The host parts of the server's own URL are the server's, whatever the attacker put in its path.
  refinements: [{ source: "own URL", property: /^(host|hostname|origin|protocol|port)$/, untainted: true }],
  // What the page's own API sends back: stored data, rendered as markup it is stored XSS.
  sources: [{ call: "global:fetch", what: API_RESPONSE, ...STORED_FOR_MARKUP }],
  summaries: SUMMARIES,
  sinks: SINKS,
};
