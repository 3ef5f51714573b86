/**
 * The browser's DOM and window: where a page reads what an attacker controls (its URL, the
 * referrer, cookies, the window name, cross-window messages) and what turns text into markup or
 * navigation. DOM XSS and client-side open redirects start and end here. jQuery's markup methods
 * are the same sinks by other names (Angular's sanitizer bypasses are in angular.ts).
 */
import { unwrap } from "../js/node-values";
import type { JsNode } from "../parse/js";
import { kindsOf } from "../taint/kinds";
import { F_CONTAINER, F_LITERAL_OBJ, TRUE, UNKNOWN, type Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { GlobalRow, LibraryModel, SinkRow, SourceRow, SourceShape } from "./rows";
import { reportCallSink } from "./sink-report";

/** Names of the global object in a page and its frames: `window.fetch` is `fetch`. */
const WINDOWS = ["window", "self", "top", "parent", "frames"];

const GLOBALS: GlobalRow[] = [
  ...[...WINDOWS, "globalThis", "global"].map((global): GlobalRow => ({ global, globalObject: true })),
  { global: "document.location", is: "location" },
  // The page's own origin: the attacker does not choose where the page is served from.
  ...["origin", "host", "hostname", "protocol", "port"].map((part): GlobalRow => ({ global: `location.${part}`, untainted: true })),
  { global: "history.state", untainted: true },
];

/**
 * Data the page reads back from its own storage or API (`localStorage.getItem`, `fetch(…).json()`,
 * `$.getJSON`): the attacker's only if they stored it there (second-order, reported as stored data),
 * and followed only to markup sinks — a stored-XSS question, not an injection into the server.
 */
export const STORED_FOR_MARKUP = {
  stored: true,
  // Not open-redirect: a stored `javascript:` link is stored XSS, and that sink reads redirect safety.
  safeFor: [
    "sql-injection",
    "nosql-injection",
    "command-injection",
    "code-injection",
    "path-traversal",
    "ssrf",
    "prototype-pollution",
    "regex-injection",
    "insecure-deserialization",
    "xxe",
  ],
} as const satisfies Pick<SourceShape, "stored" | "safeFor">;

const STORAGE = "browser storage (written by the page itself; attacker-controlled only through another flaw)";
export const API_RESPONSE = "API response (stored data the server sends back)";

const SOURCES: SourceRow[] = [
  // Any page can name the window it opens: `window.name` survives navigation.
  ...WINDOWS.map((w): SourceRow => ({ global: `${w}.name`, what: "window name" })),
  { global: "document.URL", what: "page URL", ownUrl: true },
  { global: "document.documentURI", what: "page URL", ownUrl: true },
  { global: "document.baseURI", what: "page URL", ownUrl: true },
  { global: "document.referrer", what: "referring page URL" },
  { global: "document.cookie", what: "cookies" },
  { global: "location.href", what: "page URL", ownUrl: true },
  { global: "location.hash", what: "page URL" },
  { global: "location.search", what: "page URL" },
  { global: "location.pathname", what: "page URL" },
  ...["localStorage", "sessionStorage"].map((store): SourceRow => ({ call: `global:${store}.getItem`, what: STORAGE, ...STORED_FOR_MARKUP })),
];

/** `$.getJSON(url, data => …)`, `$.ajax({ url, success(data) {…} })`: callbacks receive the response; so does the returned jqXHR's `.done`/`.then`. */
function jqueryAjax(host: ModelHost, site: CallSite): Value {
  const data = host.source(site.node, API_RESPONSE, {
    obj: true,
    stored: true,
    safe: kindsOf(STORED_FOR_MARKUP.safeFor),
    flags: F_CONTAINER,
    label: `response of ${host.text(site.callee)}()`,
  });
  for (const a of site.args) {
    const callbacks = a.fn ? [a.fn] : a.props ? [a.props.get("success")?.fn] : [];
    for (const cb of callbacks) if (cb) host.callInline(cb, [data], UNKNOWN, "call");
  }
  return data;
}

/** jQuery Deferred's `.done(cb)` / `.always(cb)`: the callback receives what the request resolved with. */
function deferredDone(host: ModelHost, recv: Value, site: CallSite): Value | null {
  const cb = site.args[0]?.fn;
  if (!recv.taint || !cb) return null;
  host.callInline(cb, [recv], UNKNOWN, "call");
  return recv;
}

/** `event.data` of a cross-window message: anything any page can post. The event's other properties are the browser's. */
const MESSAGE_DATA = { object: "message-event", property: "data", what: "message event data", obj: true } as const;

/** The receiver of a jQuery chain: `$(…)` or `jQuery(…)`, possibly after other chained calls. */
function isJqueryCall(node: JsNode): boolean {
  let n = unwrap(node);
  for (let i = 0; i < 8 && n.type === "CallExpression"; i++) {
    const c = unwrap(n.callee);
    if (c.type === "Identifier") return c.name === "$" || c.name === "jQuery";
    if (c.type !== "MemberExpression") return false;
    n = unwrap(c.object);
  }
  return false;
}

/** Markup, not a callback or an options object, passed to a jQuery method. */
function jqueryMarkup(_host: ModelHost, site: CallSite): boolean {
  const a = site.args[0];
  return !!a && !a.fn && !(a.flags & F_LITERAL_OBJ);
}

/** `$.extend(true, target, …sources)`: a deep extend copies `__proto__` keys of attacker-shaped sources. */
function deepExtend(host: ModelHost, site: CallSite, kind: number): void {
  if (site.args[0] !== TRUE) return;
  for (const a of site.args.slice(2)) {
    if (a.taint?.obj || (a.taint && a.flags & F_CONTAINER))
      return reportCallSink(host, site, kind, a, "to a deep jQuery.extend that copies __proto__", "any", "medium");
  }
}

/** Attributes whose URL a page follows when clicked or submitted, whatever the element (`src` is not: an image's runs nothing). */
const FOLLOWED_URL_ATTRIBUTES = new Set(["href", "xlink:href", "action", "formaction"]);

/** `el.setAttribute(name, value)` / jQuery `.attr(name, value)` with a constant attribute name this set holds. */
function namesAttribute(names: ReadonlySet<string>): (host: ModelHost, site: CallSite) => boolean {
  return (_host, site) => {
    const name = site.args[0]?.str;
    return typeof name === "string" && names.has(name.toLowerCase()) && site.args.length >= 2;
  };
}

const JQUERY_MARKUP_METHODS = ["html", "append", "prepend", "after", "before", "replaceWith", "wrap", "wrapAll", "wrapInner", "insertAfter", "insertBefore"];

const SINKS: SinkRow[] = [
  { call: "global:document.write", argument: 0, rule: "xss", what: "as HTML written into the page", mode: "text" },
  { call: "global:document.writeln", argument: 0, rule: "xss", what: "as HTML written into the page", mode: "text" },
  ...["global:location.assign", "global:location.replace", "global:open"].map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "open-redirect",
    what: "as the target of a redirect",
    mode: "redirect",
  })),
  { method: "insertAdjacentHTML", receiver: "any", argument: 1, rule: "xss", what: "as HTML inserted into the page", mode: "text" },
  { method: "createContextualFragment", receiver: "any", argument: 0, rule: "xss", what: "as HTML parsed into the page", mode: "text" },
  { method: "setAttribute", receiver: "any", when: namesAttribute(new Set(["srcdoc"])), argument: 1, rule: "xss", what: "as an iframe document", mode: "text" },
  {
    method: "setAttribute",
    receiver: "any",
    when: namesAttribute(FOLLOWED_URL_ATTRIBUTES),
    argument: 1,
    rule: "xss",
    what: "as a link or form URL (a javascript: URL runs script when followed)",
    mode: "script-url",
  },
  ...["attr", "prop"].map((method): SinkRow => ({
    method,
    receiver: "jquery",
    when: namesAttribute(FOLLOWED_URL_ATTRIBUTES),
    argument: 1,
    rule: "xss",
    what: "as a link or form URL (a javascript: URL runs script when followed)",
    mode: "script-url",
  })),
  // `$(text)` builds elements when the text starts with "<" (jQuery 1.9+; older versions also after other text, `$(location.hash)`).
  ...["jquery:", "jquery:parseHTML"].map((call): SinkRow => ({
    call,
    when: jqueryMarkup,
    argument: 0,
    rule: "xss",
    what: 'as HTML (jQuery builds elements from text that starts with "<")',
    mode: call === "jquery:" ? "koa-body" : "text",
  })),
  ...JQUERY_MARKUP_METHODS.map((method): SinkRow => ({
    method,
    receiver: "jquery",
    when: jqueryMarkup,
    argument: 0,
    rule: "xss",
    what: "as HTML (jQuery)",
    mode: "text",
  })),
  { call: "jquery:extend", rule: "prototype-pollution", effect: deepExtend },
  ...["innerHTML", "outerHTML", "srcdoc"].map((property): SinkRow => ({ property, rule: "xss", what: "as HTML", mode: "text" })),
  { property: "href", global: "location", rule: "open-redirect", what: "as the page to navigate to", mode: "redirect" },
  ...["window", "document", "self", "top"].map((global): SinkRow => ({
    property: "location",
    global,
    rule: "open-redirect",
    what: "as the page to navigate to",
    mode: "redirect",
  })),
  // The same navigations run script in the page when the attacker writes the whole URL: `javascript:…`.
  ...["global:location.assign", "global:location.replace", "global:open"].map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "xss",
    what: "as a URL the page navigates to (a javascript: URL runs script in it)",
    mode: "script-url",
  })),
  { property: "href", global: "location", rule: "xss", what: "as the page to navigate to (a javascript: URL runs script in it)", mode: "script-url" },
  ...["window", "document", "self", "top"].map((global): SinkRow => ({
    property: "location",
    global,
    rule: "xss",
    what: "as the page to navigate to (a javascript: URL runs script in it)",
    mode: "script-url",
  })),
];

export const model: LibraryModel = {
  id: "browser-dom",
  description: "The browser window and document: URL, referrer, cookie and window-name sources, cross-window messages, HTML and navigation sinks.",
  fixtures: ["apps/browser/checkout-widget.js", "xss/dom-templates.ts", "xss/jquery/saved-cards.js", "xss/order-history.js"],
  sources: [...SOURCES, MESSAGE_DATA],
  globals: [...GLOBALS, { global: "$", module: "jquery" }, { global: "jQuery", module: "jquery" }],
  sinks: SINKS,
  summaries: ["get", "getJSON", "post", "ajax"].map((f) => ({ call: `jquery:${f}`, effect: jqueryAjax })),
  methods: [
    { method: "done", effect: deferredDone },
    { method: "always", effect: deferredDone },
  ],
  entryPoints: [
    { listenerMethod: "addEventListener" },
    // Cross-window messages: any page can post to this one.
    { listen: "message", on: "global-object", payload: { event: "message-event" } },
    { handlerProperty: "onmessage", payload: { event: "message-event" } },
  ],
  receivers: [{ receiver: "jquery", test: (site) => isJqueryCall(unwrap(site.callee).object) }],
  objects: [
    {
      kind: "message-event",
      property(host, obj, _m, key, node) {
        if (key !== MESSAGE_DATA.property || !node) return UNKNOWN;
        return host.source(node, MESSAGE_DATA.what, {
          obj: MESSAGE_DATA.obj,
          label: node.type === "MemberExpression" ? undefined : `${obj.name ?? "event"}.data`,
        });
      },
    },
  ],
};
