/**
 * The browser's DOM and window: where a page reads what an attacker controls (its URL, the
 * referrer, cookies, the window name, cross-window messages) and what turns text into markup or
 * navigation. DOM XSS and client-side open redirects start and end here.
 */
import { UNKNOWN } from "../taint/value";
import type { GlobalRow, LibraryModel, SourceRow } from "./rows";

/** Names of the global object in a page and its frames: `window.fetch` is `fetch`. */
const WINDOWS = ["window", "self", "top", "parent", "frames"];

const GLOBALS: GlobalRow[] = [
  ...[...WINDOWS, "globalThis", "global"].map((global): GlobalRow => ({ global, globalObject: true })),
  { global: "document.location", is: "location" },
  // The page's own origin: the attacker does not choose where the page is served from.
  ...["origin", "host", "hostname", "protocol", "port"].map((part): GlobalRow => ({ global: `location.${part}`, untainted: true })),
  { global: "history.state", untainted: true },
];

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
];

/** `event.data` of a cross-window message: anything any page can post. The event's other properties are the browser's. */
const MESSAGE_DATA = { object: "message-event", property: "data", what: "message event data", obj: true } as const;

export const model: LibraryModel = {
  id: "browser-dom",
  description: "The browser window and document: URL, referrer, cookie and window-name sources, cross-window messages, HTML and navigation sinks.",
  fixtures: [],
  globals: GLOBALS,
  sources: [...SOURCES, MESSAGE_DATA],
  objects: [
    {
      kind: "message-event",
      property(host, obj, _m, key, node) {
        if (key !== MESSAGE_DATA.property || !node) return UNKNOWN;
        return host.source(node, MESSAGE_DATA.what, { obj: MESSAGE_DATA.obj, label: node.type === "MemberExpression" ? undefined : `${obj.name ?? "event"}.data` });
      },
    },
  ],
};
