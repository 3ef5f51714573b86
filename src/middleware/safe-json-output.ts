/**
 * JSON leaves with every bidi and C1 control character escaped (`\u202e`, not the raw override):
 * labels refuse them on the way in, but snippets quote source lines as they are, and a raw
 * override in a response would reorder what a terminal, log viewer or page shows. The parsed
 * value is unchanged.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { escapeUnsafeJson } from "../unsafe-chars";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

export function safeJsonOutput(): MiddlewareHandler<AppEnv> {
  return async function safeJsonOutputMiddleware(c, next) {
    await next();
    if (!c.res.body || !JSON_TYPE.test(c.res.headers.get("content-type") ?? "")) return;
    const text = await c.res.text();
    c.res = new Response(escapeUnsafeJson(text), c.res);
  };
}
