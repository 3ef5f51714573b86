/**
 * Next.js (and the file-route frameworks shaped like it: Remix, SvelteKit): route handlers
 * exported by HTTP method name, server actions, `NextResponse`, and the navigation hooks whose
 * results are the page's URL.
 */
import { patternKeys } from "../js/node-values";
import type { ModelHost } from "./host";
import { contextRole, requestRole } from "./http-frameworks";
import type { EntryFunction, LibraryModel, ParamRole, SinkRow } from "./rows";
import { htmlResponse } from "./web-platform";

/** Route handlers a route module exports by HTTP method. */
const HTTP_METHOD_EXPORTS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** Next.js `GET(request, { params })`; Remix/SvelteKit `loader({ request, params })`. */
function routeExport(_host: ModelHost, { ref, params, names }: EntryFunction): ParamRole[] | null {
  const name = ref.name ?? "";
  const destructured = names[0] === null && patternKeys(params[0]!).some((k) => k === "request" || k === "params" || k === "url" || k === "searchParams");
  if (!HTTP_METHOD_EXPORTS.has(name) && !((name === "loader" || name === "action" || name === "load") && destructured)) return null;
  if (destructured) return [contextRole("next")];
  return [requestRole("fetch"), contextRole("next")];
}

/** A server action: a function with `"use server"` first, or an async function of a `"use server"` module. Clients call it with anything. */
function serverAction(host: ModelHost, { ref, params }: EntryFunction): ParamRole[] | null {
  const body = ref.node.body;
  const marked = body?.type === "BlockStatement" && body.body[0]?.directive === "use server";
  if (!marked && !(host.useServer && ref.node.async && !ref.inline)) return null;
  return params.map(() => ({ kind: "tainted", what: "server action argument", obj: true }));
}

const SINKS: SinkRow[] = [
  ...["next/server:NextResponse.redirect", "next/navigation:redirect", "next/navigation:permanentRedirect"].map((call): SinkRow => ({
    call,
    argument: 0,
    rule: "open-redirect",
    what: "as the target of a redirect",
    mode: "redirect",
  })),
  { call: "next/server:NextResponse.rewrite", argument: 0, rule: "ssrf", what: "as the URL a rewrite proxies to", mode: "url" },
  { call: "next/server:NextResponse", when: htmlResponse, argument: 0, rule: "xss", what: "in an HTML response", mode: "text" },
];

const NEXT_ROUTER = "page URL (Next.js router)";

export const model: LibraryModel = {
  id: "nextjs",
  description: "Next.js route handlers, server actions, NextRequest/NextResponse and next/navigation; Remix and SvelteKit loaders.",
  fixtures: ["apps/nextjs/app/account/route.ts", "apps/nextjs/app/api/orders/route.ts", "xss/react/pages/checkout/done.jsx"],
  sources: [
    { call: "next/navigation:useSearchParams", what: "page URL", container: true },
    { call: "next/navigation:useParams", what: "page URL", container: true },
    // The pages router: `router.query`, `router.asPath`.
    { call: "next/router:useRouter", what: NEXT_ROUTER, container: true },
  ],
  // The router's route pattern, locale settings, flags and methods are the application's.
  refinements: [
    {
      source: NEXT_ROUTER,
      property:
        /^(pathname|route|basePath|locales?|defaultLocale|domainLocales|isReady|isFallback|isPreview|isLocaleDomain|events|push|replace|back|forward|prefetch|reload|refresh|beforePopState)$/,
      untainted: true,
    },
  ],
  sinks: SINKS,
  entryPoints: [
    { precedence: 20, roles: routeExport },
    { precedence: 30, roles: serverAction },
  ],
};
