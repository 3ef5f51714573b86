/**
 * HTTP client libraries: the URL (or the `url`/`host` of an options object) a server-side
 * request goes to. Attacker data there that reaches the scheme or host is SSRF. In a page,
 * axios's response is what the application's API sends back: stored data for markup sinks.
 */
import { API_RESPONSE, STORED_FOR_MARKUP } from "./browser-dom";
import type { LibraryModel, SinkRow, SourceRow } from "./rows";

const CLIENTS = [
  "axios",
  "got",
  "node-fetch",
  "cross-fetch",
  "isomorphic-fetch",
  "undici",
  "ky",
  "ofetch",
  "superagent",
  "request",
  "request-promise",
  "request-promise-native",
  "needle",
  "phin",
  "bent",
  "wretch",
  "make-fetch-happen",
  "axios-retry",
];
/** The module called as a function, and its request methods. */
const REQUEST_FUNCTIONS = ["", "get", "post", "put", "patch", "delete", "del", "head", "options", "request", "stream", "getUri", "fetch"];

const SINKS: SinkRow[] = CLIENTS.flatMap((client) =>
  REQUEST_FUNCTIONS.map((f): SinkRow => ({
    call: `${client}:${f}`,
    // needle(method, url) and needle.request(method, url): the URL comes second.
    argument: client === "needle" && (f === "" || f === "request") ? 1 : 0,
    url: true,
    rule: "ssrf",
    what: "as the URL of a server-side request",
    mode: "url",
  })),
);

export const model: LibraryModel = {
  id: "http-clients",
  description: "HTTP client libraries: axios, got, node-fetch, undici, ky, ofetch, superagent, request, needle, phin, bent, wretch…",
  fixtures: ["ssrf/link-preview.js", "apps/express/routes/integrations.js", "xss/order-history.js"],
  globals: [{ global: "axios", module: "axios" }],
  // Configured instances are the library again.
  types: [
    { call: "axios:create", returns: "module" },
    { call: "got:extend", returns: "module" },
  ],
  sinks: SINKS,
  // axios's response (`res.data`) in a page: what the application's API sends back.
  sources: REQUEST_FUNCTIONS.map((f): SourceRow => ({ call: `axios:${f}`, what: API_RESPONSE, ...STORED_FOR_MARKUP })),
};
