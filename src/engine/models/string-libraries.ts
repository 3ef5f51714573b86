/**
 * String libraries: HTML escapers and sanitisers (escape-html, he, html-escaper, xss,
 * sanitize-html, DOMPurify, escape-goat, hono/html), regular-expression escaping, and printf-style
 * formatting, and URL scheme sanitisers (@braintree/sanitize-url). Each escaper makes text safe
 * for its own context only: HTML-escaped text is still dangerous in SQL, and still a
 * `javascript:` URL in a link.
 */
import { encoder } from "./node-builtins";
import { SCHEME } from "../taint/kinds";
import { asText, sanitize, UNKNOWN } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SummaryRow } from "./rows";

/** `sanitizeUrl(x)`: a URL whose scheme runs no script (`about:blank` instead); its host is still x's. */
function schemeSanitised(_host: ModelHost, site: CallSite) {
  const a = site.args[0];
  return a?.taint ? sanitize(asText(a), SCHEME) : UNKNOWN;
}

const HTML_ESCAPERS = [
  "escape-html:",
  "he:encode",
  "he:escape",
  "html-escaper:escape",
  "xss:",
  "xss:filterXSS",
  "sanitize-html:",
  "dompurify:sanitize",
  "isomorphic-dompurify:sanitize",
  "escape-goat:htmlEscape",
  "hono/html:escape",
];

const SUMMARIES: SummaryRow[] = [
  ...HTML_ESCAPERS.map((call): SummaryRow => ({ call, returns: "text", sanitises: ["xss"] })),
  { call: "escape-string-regexp:", returns: "text", sanitises: ["regex-injection"] },
  // Base64 libraries: encoding gives text of a fixed alphabet (node-builtins says what it is safe for), decoding the attacker's text again.
  ...["base64url:", "base64url:encode", "js-base64:Base64.encodeURI", "js-base64:Base64.encodeURL", "js-base64:encodeURI", "js-base64:encodeURL"].map(
    (call): SummaryRow => ({ call, effect: encoder("base64url") }),
  ),
  ...["base64url:toBase64", "js-base64:Base64.encode", "js-base64:Base64.toBase64", "js-base64:encode", "js-base64:toBase64"].map((call): SummaryRow => ({
    call,
    effect: encoder("base64"),
  })),
  ...[
    "base64url:decode",
    "base64url:toBuffer",
    "base64url:fromBase64",
    "js-base64:Base64.decode",
    "js-base64:Base64.fromBase64",
    "js-base64:decode",
    "js-base64:fromBase64",
  ].map((call): SummaryRow => ({ call, returns: "text" })),
  { call: "@braintree/sanitize-url:sanitizeUrl", effect: schemeSanitised },
  ...["sprintf-js:sprintf", "sprintf-js:vsprintf", "format:"].map((call): SummaryRow => ({ call, returns: "formatted" })),
];

export const model: LibraryModel = {
  id: "string-libraries",
  description:
    "HTML escapers and sanitisers (escape-html, he, xss, sanitize-html, DOMPurify…), @braintree/sanitize-url, escape-string-regexp, sprintf-js, base64url and js-base64.",
  fixtures: ["xss/status-pages.js", "apps/express/routes/orders.js", "apps/browser/OrderNote.jsx", "xss/react/MerchantLinks.jsx", "xss/order-history.js"],
  globals: [
    { global: "DOMPurify", module: "dompurify" },
    { global: "he", module: "he" },
  ],
  // `DOMPurify(window)` is DOMPurify bound to that window.
  types: [
    { call: "dompurify:", returns: "module" },
    { call: "isomorphic-dompurify:", returns: "module" },
  ],
  summaries: SUMMARIES,
};
