/**
 * Request-rate limiting per project (token bucket in the RateLimiter Durable Object), and the
 * RateLimit / RateLimit-Policy headers on every response for the policies this request touched
 * (draft-ietf-httpapi-ratelimit-headers-11). A denied request answers 429 problem+json with
 * Retry-After. Routes with their own costs (scanned bytes) add decisions via `recordLimit`.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { limiterFor, type LimitDecision } from "../limits/limiter";
import { limitHeader, policyHeader } from "../limits/policies";

export function rateLimitedError(decision: LimitDecision): ApiError {
  const p = decision.policy;
  return new ApiError("rate_limited", `The "${p.name}" quota of ${p.quota} per ${p.window} s is used up; retry in ${decision.retryAfterSeconds} s.`, {
    policy: p.name,
    headers: { "Retry-After": String(decision.retryAfterSeconds) },
  });
}

/** Adds a decision to this request's RateLimit headers, throwing 429 when it was denied. */
export function recordLimit(c: Context<AppEnv>, decision: LimitDecision): void {
  c.set("limits", [...(c.get("limits") ?? []), decision]);
  if (!decision.allowed) throw rateLimitedError(decision);
}

/** Headers for the decisions taken: every policy, and RateLimit for the one closest to its limit. */
export function rateLimitHeaders(decisions: readonly LimitDecision[]): Record<string, string> {
  if (decisions.length === 0) return {};
  const tightest = [...decisions].sort((a, b) => (a.allowed === b.allowed ? a.remaining / a.policy.quota - b.remaining / b.policy.quota : a.allowed ? 1 : -1))[0]!;
  const t = tightest.allowed ? tightest.resetSeconds : tightest.retryAfterSeconds;
  return {
    "RateLimit-Policy": decisions.map((d) => policyHeader(d.policy)).join(", "),
    RateLimit: limitHeader(tightest.policy, tightest.remaining, t),
  };
}

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const caller = c.get("caller");
    const tenant = caller.kind === "admin" ? "admin" : caller.projectId;
    recordLimit(c, await limiterFor(c.env).hit("requests", tenant, 1));
    await next();
  };
}

/** Writes RateLimit headers onto whatever response the request produced (errors included). */
export function rateLimitResponseHeaders(): MiddlewareHandler<AppEnv> {
  return async function rateLimitHeadersMiddleware(c, next) {
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(c.get("limits") ?? []))) c.res.headers.set(name, value);
  };
}
