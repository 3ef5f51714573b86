/**
 * Svelte and SvelteKit: the `$page` store a component auto-subscribes to holds the page's URL
 * and route parameters; `{@html}` and a link's `href={…}` in the markup insert what they are given.
 */
import { TEMPLATE_SINKS } from "../parse/component-script";
import type { LibraryModel, SourceRow } from "./rows";
import { templateBindingSink } from "./sink-report";

const PAGE = "page URL (SvelteKit)";

export const model: LibraryModel = {
  id: "svelte",
  description: "SvelteKit's $page store: the page URL and route parameters.",
  fixtures: ["xss/svelte/Receipt.svelte", "xss/svelte/Search.svelte", "xss/svelte/Coupon.svelte"],
  // Markup bindings of a .svelte file, as parse/component-script.ts writes them: Svelte inserts these as they are.
  sinks: [
    { call: `global:${TEMPLATE_SINKS.svelteHtml}`, rule: "xss", effect: templateBindingSink("{@html}", "as HTML", "text", false) },
    {
      call: `global:${TEMPLATE_SINKS.svelteUrl}`,
      rule: "xss",
      effect: templateBindingSink("href", "as a link or frame URL (a javascript: URL runs script in the page)", "script-url", false),
    },
  ],
  sources: [
    { global: "$page.url", what: PAGE, ownUrl: true },
    { global: "$page.params", what: PAGE, container: true },
    // Svelte 5's `page` from $app/state: the same URL, read without the store's `$`.
    ...["get", "getAll"].map((getter): SourceRow => ({ call: `$app/state:page.url.searchParams.${getter}`, what: PAGE })),
  ],
};
