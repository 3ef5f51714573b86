/**
 * React and React Router: hooks that hold state or read the page's URL, and the JSX attributes
 * that take raw HTML.
 */
import type { LibraryModel } from "./rows";

export const model: LibraryModel = {
  id: "react",
  description: "React hooks and JSX HTML attributes; React Router's URL hooks.",
  fixtures: [],
  sources: [
    { call: "react-router:useParams", what: "page URL", container: true },
    { call: "react-router-dom:useParams", what: "page URL", container: true },
    { call: "react-router:useSearchParams", what: "page URL", container: true, pair: true },
    { call: "react-router-dom:useSearchParams", what: "page URL", container: true, pair: true },
  ],
  sinks: [
    { attribute: "dangerouslySetInnerHTML", path: "__html", rule: "xss", what: "as HTML (dangerouslySetInnerHTML)", mode: "text" },
    { attribute: "srcDoc", rule: "xss", what: "as an iframe document", mode: "text" },
  ],
};
