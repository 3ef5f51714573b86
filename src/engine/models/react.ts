/**
 * React and React Router: hooks that hold state or read the page's URL, and the JSX attributes
 * that take raw HTML.
 */
import { F_ARRAY, objectValue, UNKNOWN, type Value } from "../taint/value";
import type { ModelHost } from "./host";
import type { LibraryModel } from "./rows";

/** `useState(init)` → `[state, setState]`, `useReducer(reducer, init)`, `useMemo(factory)`: the state is the initial value (or what the factory returns). */
function hookState(host: ModelHost, init: Value | undefined, pair: boolean): Value {
  const value = init?.fn ? host.callInline(init.fn, [], UNKNOWN, "call") : (init ?? UNKNOWN);
  if (!pair) return value;
  const out = objectValue(new Map([["0", value]]));
  out.flags |= F_ARRAY;
  return out;
}

export const model: LibraryModel = {
  id: "react",
  description: "React hooks and JSX HTML attributes; React Router's URL hooks.",
  fixtures: ["apps/browser/OrderNote.jsx", "apps/nextjs/app/search/page.tsx"],
  sources: [
    { call: "react-router:useParams", what: "page URL", container: true },
    { call: "react-router-dom:useParams", what: "page URL", container: true },
    { call: "react-router:useSearchParams", what: "page URL", container: true, pair: true },
    { call: "react-router-dom:useSearchParams", what: "page URL", container: true, pair: true },
  ],
  summaries: [
    { call: "react:useState", effect: (host, site) => hookState(host, site.args[0], true) },
    { call: "react:useReducer", effect: (host, site) => hookState(host, site.args[1], true) },
    { call: "react:useMemo", effect: (host, site) => hookState(host, site.args[0], false) },
  ],
  sinks: [
    { attribute: "dangerouslySetInnerHTML", path: "__html", rule: "xss", what: "as HTML (dangerouslySetInnerHTML)", mode: "text" },
    { attribute: "srcDoc", rule: "xss", what: "as an iframe document", mode: "text" },
  ],
};
