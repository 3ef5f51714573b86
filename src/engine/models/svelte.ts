/**
 * SvelteKit: the `$page` store a component auto-subscribes to holds the page's URL and route
 * parameters. (`{@html}` in the markup is not read: only `.svelte` files' script blocks are.)
 */
import type { LibraryModel } from "./rows";

const PAGE = "page URL (SvelteKit)";

export const model: LibraryModel = {
  id: "svelte",
  description: "SvelteKit's $page store: the page URL and route parameters.",
  fixtures: ["xss/svelte/Receipt.svelte"],
  sources: [
    { global: "$page.url", what: PAGE, ownUrl: true },
    { global: "$page.params", what: PAGE, container: true },
  ],
};
