/**
 * One structured log line per request: request id, route, status, duration, the API key's
 * display prefix (never the key), and for scans the bytes, files and findings by severity.
 * Never source code, card data or secrets (lines are scrubbed as well).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { log } from "../observability/log";

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const started = Date.now();
    await next();
    const caller = c.get("caller");
    const status = c.res.status;
    log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status,
      durationMs: Date.now() - started,
      keyPrefix: caller?.kind === "key" ? caller.prefix : undefined,
      caller: caller?.kind,
      ...(c.get("scanLog") ?? {}),
    });
  };
}
