/**
 * React and React Router: hooks that hold state or read the page's URL, and the JSX attributes
 * that take raw HTML or a URL the page follows.
 */
import { F_ARRAY, objectValue, UNKNOWN, type Value } from "../taint/value";
import type { ModelHost } from "./host";
import type { LibraryModel, SinkRow } from "./rows";

/** `useState(init)` → `[state, setState]`, `useReducer(reducer, init)`, `useMemo(factory)`: the state is the initial value (or what the factory returns). */
function hookState(host: ModelHost, init: Value | undefined, pair: boolean): Value {
  const value = init?.fn ? host.callInline(init.fn, [], UNKNOWN, "call") : (init ?? UNKNOWN);
  if (!pair) return value;
  const out = objectValue(new Map([["0", value]]));
  out.flags |= F_ARRAY;
  return out;
}

const ROUTER_LOCATION = "page URL (React Router location)";

const URL_ATTRIBUTES: Array<[attribute: string, elements: string[], what: string]> = [
  ["href", ["a", "area"], "as a link URL (a javascript: URL runs script when followed)"],
  ["src", ["iframe", "frame", "embed"], "as a frame's URL (a javascript: URL runs script in the page)"],
  ["data", ["object"], "as an embedded document's URL (a javascript: URL runs script in the page)"],
  ["action", ["form"], "as a form's target URL (a javascript: URL runs script on submit)"],
  ["formAction", ["button", "input"], "as a form's target URL (a javascript: URL runs script on submit)"],
];

export const model: LibraryModel = {
  id: "react",
  description: "React hooks and JSX HTML attributes; React Router's URL hooks.",
  fixtures: ["apps/browser/OrderNote.jsx", "apps/nextjs/app/search/page.tsx", "xss/react/MerchantLinks.jsx"],
  sources: [
    { call: "react-router:useParams", what: "page URL", container: true },
    { call: "react-router-dom:useParams", what: "page URL", container: true },
    { call: "react-router:useSearchParams", what: "page URL", container: true, pair: true },
    { call: "react-router-dom:useSearchParams", what: "page URL", container: true, pair: true },
    { call: "react-router:useLocation", what: ROUTER_LOCATION, container: true },
    { call: "react-router-dom:useLocation", what: ROUTER_LOCATION, container: true },
  ],
  // A location's state and key are what the application navigated with.
  refinements: [{ source: ROUTER_LOCATION, property: /^(state|key)$/, untainted: true }],
  summaries: [
    { call: "react:useState", effect: (host, site) => hookState(host, site.args[0], true) },
    { call: "react:useReducer", effect: (host, site) => hookState(host, site.args[1], true) },
    { call: "react:useMemo", effect: (host, site) => hookState(host, site.args[0], false) },
  ],
  sinks: [
    { attribute: "dangerouslySetInnerHTML", path: "__html", rule: "xss", what: "as HTML (dangerouslySetInnerHTML)", mode: "text" },
    { attribute: "srcDoc", rule: "xss", what: "as an iframe document", mode: "text" },
    // URL attributes of elements that navigate or load a document: a javascript: URL runs script.
    // Medium: React 19 replaces javascript: URLs in these attributes; earlier versions only warn.
    ...URL_ATTRIBUTES.map(([attribute, elements, what]): SinkRow => ({ attribute, elements, rule: "xss", what, mode: "script-url", confidence: "medium" })),
  ],
};
