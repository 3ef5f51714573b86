/**
 * Web-platform APIs shared by browsers, Workers and Node: `URL`, `URLSearchParams`, `fetch`,
 * `Request`/`Response`, `atob`/`btoa`, `structuredClone`, timers. A `URL` built on the
 * request's own URL keeps the server's host: only its path and query are the attacker's.
 */
import type { Value } from "../taint/value";
import type { CallSite, ModelHost } from "./host";
import type { LibraryModel, SinkRow } from "./rows";

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
  ...["global:setTimeout", "global:setInterval", "global:execScript"].map(
    (call): SinkRow => ({ call, when: stringCallback, argument: 0, rule: "code-injection", what: "as JavaScript code (a string timer callback)", mode: "text" }),
  ),
];

export const model: LibraryModel = {
  id: "web-platform",
  description: "Web-platform APIs in browsers, Workers and Node: URL, URLSearchParams, fetch, Request/Response, atob/btoa, timers.",
  fixtures: [],
  // The host parts of the server's own URL are the server's, whatever the attacker put in its path.
  refinements: [{ source: "own URL", property: /^(host|hostname|origin|protocol|port)$/, untainted: true }],
  sinks: SINKS,
};
