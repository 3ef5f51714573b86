/**
 * Request ids: accept the caller's `X-Request-Id` when it is well-formed (so ids can be traced
 * across systems), otherwise generate one; expose it to handlers and echo it on every response.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestIdOptions {
  header?: string;
  generate?: () => string;
}

export function requestId(options: RequestIdOptions = {}): MiddlewareHandler<AppEnv> {
  const header = options.header ?? "X-Request-Id";
  const generate = options.generate ?? (() => crypto.randomUUID());
  return async function requestIdMiddleware(c, next) {
    const offered = c.req.header(header);
    const id = offered && WELL_FORMED.test(offered) ? offered : generate();
    c.set("requestId", id);
    c.header(header, id);
    await next();
    c.res.headers.set(header, id);
  };
}
