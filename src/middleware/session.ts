/**
 * Dashboard pages that need a signed-in browser: the session cookie's session (src/dashboard/
 * sessions.ts) becomes `c.var.session`; without one, the browser is sent to the login page.
 */
import type { MiddlewareHandler } from "hono";
import { database } from "../db/client";
import { currentSession } from "../dashboard/sessions";
import type { AppEnv } from "../env";

export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function requireSessionMiddleware(c, next) {
    const session = await currentSession(c, database(c.env.DB));
    if (!session) return c.redirect("/dashboard/login", 303);
    c.set("session", session);
    await next();
  };
}
