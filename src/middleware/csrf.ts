/**
 * CSRF protection for dashboard forms, two checks deep: the form must carry the session's CSRF
 * token (`_csrf`, a hidden field every form renders; derived from the HttpOnly session cookie, so
 * another site cannot know it), and a browser-sent `Origin` must be this origin. The session
 * cookie is SameSite=Lax besides. Either check failing answers 403 before the page's handler runs.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { timingSafeEqualText } from "./authenticate";

export const CSRF_FIELD = "_csrf";

export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async function csrfProtectionMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin) throw new ApiError("forbidden", "This form was sent from another site.");
    const type = c.req.header("content-type") ?? "";
    const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type) ? await c.req.parseBody() : {};
    const sent = form[CSRF_FIELD];
    if (typeof sent !== "string" || !(await timingSafeEqualText(sent, c.get("session").csrfToken)))
      throw new ApiError("forbidden", "The form's CSRF token is missing or stale: reload the page and send it again.");
    await next();
  };
}
