/**
 * Web-platform APIs shared by browsers, Workers and Node: `URL`, `URLSearchParams`, `fetch`,
 * `Request`/`Response`, `atob`/`btoa`, `structuredClone`, timers. A `URL` built on the
 * request's own URL keeps the server's host: only its path and query are the attacker's.
 */
import type { LibraryModel } from "./rows";

export const model: LibraryModel = {
  id: "web-platform",
  description: "Web-platform APIs in browsers, Workers and Node: URL, URLSearchParams, fetch, Request/Response, atob/btoa, timers.",
  fixtures: [],
  // The host parts of the server's own URL are the server's, whatever the attacker put in its path.
  refinements: [{ source: "own URL", property: /^(host|hostname|origin|protocol|port)$/, untainted: true }],
};
