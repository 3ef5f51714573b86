/** Creates the request's Sentry client (when SENTRY_DSN is set) for the error handler to report to. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { createSentry } from "../observability/sentry";

export function sentry(): MiddlewareHandler<AppEnv> {
  return async function sentryMiddleware(c, next) {
    const client = createSentry(c.env, c.executionCtx as unknown as ExecutionContext, c.req.raw);
    if (client) {
      client.setTag("request_id", c.get("requestId"));
      c.set("sentry", client);
    }
    await next();
  };
}
