/**
 * Next.js (and the file-route frameworks shaped like it: Remix, SvelteKit): route handlers
 * exported by HTTP method name, server actions, `NextResponse`, and the navigation hooks whose
 * results are the page's URL.
 */
import type { LibraryModel, SinkRow } from "./rows";
import { htmlResponse } from "./web-platform";

const SINKS: SinkRow[] = [
  ...["next/server:NextResponse.redirect", "next/navigation:redirect", "next/navigation:permanentRedirect"].map(
    (call): SinkRow => ({ call, argument: 0, rule: "open-redirect", what: "as the target of a redirect", mode: "redirect" }),
  ),
  { call: "next/server:NextResponse.rewrite", argument: 0, rule: "ssrf", what: "as the URL a rewrite proxies to", mode: "url" },
  { call: "next/server:NextResponse", when: htmlResponse, argument: 0, rule: "xss", what: "in an HTML response", mode: "text" },
];

export const model: LibraryModel = {
  id: "nextjs",
  description: "Next.js route handlers, server actions, NextRequest/NextResponse and next/navigation; Remix and SvelteKit loaders.",
  fixtures: [],
  sources: [
    { call: "next/navigation:useSearchParams", what: "page URL", container: true },
    { call: "next/navigation:useParams", what: "page URL", container: true },
  ],
  sinks: SINKS,
};
