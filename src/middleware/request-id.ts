/**
 * Request ids: accept the caller's `X-Request-Id` when it is well-formed (so ids can be traced
 * across systems) and holds no card number (it is logged and echoed), otherwise generate one;
 * expose it to handlers and echo it on every response.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { hasCardDataOrSecret } from "../observability/scrub";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

const HEADER = "X-Request-Id";

export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const offered = c.req.header(HEADER);
    const id = offered && WELL_FORMED.test(offered) && !hasCardDataOrSecret(offered) ? offered : crypto.randomUUID();
    c.set("requestId", id);
    c.header(HEADER, id);
    await next();
    c.res.headers.set(HEADER, id);
  };
}
