/**
 * What every dashboard page file exports: one declaration — method, path, who may open it — and
 * a handler that answers HTML (or a redirect, or a download). app.ts registers each page from its
 * declaration: the session check for signed-in pages and the CSRF check for every form post
 * derive from it, so no page can forget either. Pages are not API: they stay out of the OpenAPI
 * document, which the route declarations in src/routes/ feed.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";

export interface PageDef {
  /** "post" only for form submissions, which answer a redirect or the page they changed. */
  method: "get" | "post";
  /** OpenAPI-style path under /dashboard: /dashboard/projects/{projectId}/keys */
  path: string;
  /** What the page is for, in a few words (the registry test names pages by it). */
  summary: string;
  /**
   * "session": a signed-in browser (others are sent to the login page), and form posts must carry
   * the session's CSRF token; "none": the pages that sign a browser in, and the stylesheet.
   */
  auth: "session" | "none";
  handler: (c: Context<AppEnv>) => Response | Promise<Response>;
}

/** A page declaration (typed, so a page file reads like a route file). */
export function definePage(page: PageDef): PageDef {
  return page;
}

/** Whether a request path is the dashboard's (its errors render as HTML pages, not problem+json). */
export function isDashboardPath(path: string): boolean {
  return path === "/dashboard" || path.startsWith("/dashboard/");
}
