/**
 * Request-rate limiting (RateLimiter Durable Object): per project on the API (per publishable key
 * and client address for the widget's keys), per client address on the public routes, and the RateLimit / RateLimit-Policy headers on every response for the
 * policies this request touched (draft-ietf-httpapi-ratelimit-headers-11). A denied request
 * answers 429 problem+json with Retry-After. Routes with their own costs (scanned bytes) add
 * decisions via `recordLimit`.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { isPublishable } from "../auth/publishable-keys";
import { ApiError } from "../errors";
import { limiterFor, type LimitDecision } from "../limits/limiter";
import { limitHeader, policyHeader, type PolicyName } from "../limits/policies";

/** An IPv4 or IPv6 address as Cloudflare writes it (anything else is not an address it set). */
const IP_ADDRESS = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|(?=[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]{2,45})$/;

/** The client's address (CF-Connecting-IP), or "unknown": it names a limiter object, so it is never taken unchecked. */
export function clientIp(c: Context<AppEnv>): string {
  const ip = c.req.header("cf-connecting-ip");
  return ip && IP_ADDRESS.test(ip) ? ip : "unknown";
}

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
  const tightest = [...decisions].sort((a, b) =>
    a.allowed === b.allowed ? a.remaining / a.policy.quota - b.remaining / b.policy.quota : a.allowed ? 1 : -1,
  )[0]!;
  const t = tightest.allowed ? tightest.resetSeconds : tightest.retryAfterSeconds;
  return {
    "RateLimit-Policy": decisions.map((d) => policyHeader(d.policy)).join(", "),
    RateLimit: limitHeader(tightest.policy, tightest.remaining, t),
  };
}

export interface RateLimitOptions {
  /** The policy, or how to pick it for the request's caller. */
  policy: PolicyName | ((c: Context<AppEnv>) => PolicyName);
  /** Whose quota the request counts against (a project, a client address). */
  tenant: (c: Context<AppEnv>) => string;
}

/** Counts one request against `policy` for the request's tenant; 429 past the quota. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const policy = typeof options.policy === "function" ? options.policy(c) : options.policy;
    recordLimit(c, await limiterFor(c.env).hit(policy, options.tenant(c), 1));
    await next();
  };
}

/** The calling project (the admin token is a tenant of its own; a publishable key's visitors each another), set by authenticate(). */
export function callerTenant(c: Context<AppEnv>): string {
  const caller = c.get("caller");
  if (isPublishable(caller)) return `${caller.keyId}:${clientIp(c)}`;
  return caller.kind === "admin" ? "admin" : caller.projectId;
}

/** The request policy of the caller: "publishable" for the widget's keys, "requests" for everyone else. */
export function callerRequestPolicy(c: Context<AppEnv>): PolicyName {
  return isPublishable(c.get("caller")) ? "publishable" : "requests";
}

/** Writes RateLimit headers onto whatever response the request produced (errors included). */
export function rateLimitResponseHeaders(): MiddlewareHandler<AppEnv> {
  return async function rateLimitHeadersMiddleware(c, next) {
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(c.get("limits") ?? []))) c.res.headers.set(name, value);
  };
}
