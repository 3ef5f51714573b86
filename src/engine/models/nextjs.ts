/**
 * Next.js (and the file-route frameworks shaped like it: Remix, SvelteKit): route handlers
 * exported by HTTP method name, server actions, `NextResponse`, and the navigation hooks whose
 * results are the page's URL.
 */
import type { LibraryModel } from "./rows";

export const model: LibraryModel = {
  id: "nextjs",
  description: "Next.js route handlers, server actions, NextRequest/NextResponse and next/navigation; Remix and SvelteKit loaders.",
  fixtures: [],
  sources: [
    { call: "next/navigation:useSearchParams", what: "page URL", container: true },
    { call: "next/navigation:useParams", what: "page URL", container: true },
  ],
};
