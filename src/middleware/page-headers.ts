/**
 * Headers on every dashboard answer: a strict Content-Security-Policy (no script at all, styles
 * only from the served stylesheet, forms only to this origin, no framing), no caching of pages
 * that may show a new key, referrers only within the dashboard (a login link's token stays out of
 * other sites' logs), and hono's other secure headers.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";

export function pageHeaders(): MiddlewareHandler<AppEnv> {
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: "DENY",
    // Not "no-referrer": with it Chromium sends `Origin: null` on form posts, which the CSRF check refuses.
    referrerPolicy: "same-origin",
  });
  return async function pageHeadersMiddleware(c, next) {
    await secure(c, next);
    if (!c.res.headers.has("cache-control")) c.res.headers.set("Cache-Control", "no-store");
  };
}
