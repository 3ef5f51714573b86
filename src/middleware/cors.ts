/**
 * CORS for the API, so the widget can call it from the pages publishable keys are bound to. A
 * preflight carries no key, so it is answered on the origin alone: 204 with the CORS grant when
 * `originAllowed` says some live publishable key lists the origin, 403 problem+json otherwise; the
 * actual request then carries its key, and authenticate() checks that key's own origins.
 * Responses to an allowed origin — errors and 429s included, so the widget can read them — carry
 * Access-Control-Allow-Origin (that origin, never `*`: no cookies are involved, but a grant names
 * whom it is for) and expose the headers a client needs: RateLimit, RateLimit-Policy,
 * Retry-After, X-Request-Id, Location.
 */
import type { Context, MiddlewareHandler } from "hono";
import { isPublishable } from "../auth/publishable-keys";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

export interface CorsOptions {
  /** Whether a browser page on `origin` may call the API at all. */
  originAllowed: (c: Context<AppEnv>, origin: string) => Promise<boolean>;
  /** Seconds a browser may cache a preflight answer. */
  maxAgeSeconds?: number;
}

export const CORS_ALLOWED_METHODS = ["GET", "POST"] as const;
export const CORS_ALLOWED_HEADERS = ["authorization", "content-type", "idempotency-key", "x-request-id"] as const;
export const CORS_EXPOSED_HEADERS = ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id", "Location"] as const;

/** A CORS preflight: OPTIONS from a page (Origin) asking for a method. */
export function isPreflight(c: Context): boolean {
  return c.req.method === "OPTIONS" && c.req.header("origin") !== undefined && c.req.header("access-control-request-method") !== undefined;
}

export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return async function corsMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (origin !== undefined && isPreflight(c)) {
      if (!(await options.originAllowed(c, origin))) {
        c.header("Vary", "Origin");
        throw new ApiError("forbidden", "No publishable key allows calls from this origin.");
      }
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": CORS_ALLOWED_METHODS.join(", "),
        "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS.join(", "),
        "Access-Control-Max-Age": maxAge,
        Vary: "Origin",
      });
    }
    await next();
    c.res.headers.append("Vary", "Origin");
    if (origin === undefined) return;
    // The caller's own publishable key lists this origin: no lookup needed.
    const caller = c.get("caller");
    if ((isPublishable(caller) && caller.allowedOrigins.includes(origin)) || (await options.originAllowed(c, origin))) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.set("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(", "));
    }
  };
}
