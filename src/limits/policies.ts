/**
 * Rate-limit policies from configuration (RATE_LIMIT_POLICIES) and their header syntax
 * (draft-ietf-httpapi-ratelimit-headers-11): `RateLimit-Policy: "requests";q=120;w=60` and
 * `RateLimit: "requests";r=119;t=60`.
 */
import { z } from "zod";
import { log } from "../observability/log";

export type PolicyName = "requests" | "bytes" | "ip" | "public" | "publishable" | "publishableBytes";

const Policy = z.object({ quota: z.number().int().positive(), window: z.number().int().positive() });
export type Policy = z.infer<typeof Policy> & { name: PolicyName };

const PUBLIC_DEFAULT = { quota: 300, window: 60 };
/** Per publishable key and client address: a page visitor scans now and then, not in a loop. */
const PUBLISHABLE_DEFAULT = { quota: 30, window: 60 };
/** Per publishable key per day: what every visitor of the widget's pages may submit together. */
const PUBLISHABLE_BYTES_DEFAULT = { quota: 20_000_000, window: 86_400 };
/** Policies added later than the first four have defaults: configurations without them keep working. */
const Policies = z.object({
  requests: Policy,
  bytes: Policy,
  ip: Policy,
  public: Policy.default(PUBLIC_DEFAULT),
  publishable: Policy.default(PUBLISHABLE_DEFAULT),
  publishableBytes: Policy.default(PUBLISHABLE_BYTES_DEFAULT),
});

const DEFAULTS: z.infer<typeof Policies> = {
  requests: { quota: 120, window: 60 },
  bytes: { quota: 200_000_000, window: 86_400 },
  ip: { quota: 60, window: 60 },
  public: PUBLIC_DEFAULT,
  publishable: PUBLISHABLE_DEFAULT,
  publishableBytes: PUBLISHABLE_BYTES_DEFAULT,
};

/** The last configuration read: limiterFor() runs on every request, and the text rarely changes. */
let memo: { raw: string | undefined; policies: Record<PolicyName, Policy> } | undefined;

/** The configured policies; malformed configuration falls back to the defaults (and says so once). */
export function readPolicies(raw: string | undefined): Record<PolicyName, Policy> {
  if (memo !== undefined && memo.raw === raw) return memo.policies;
  let parsed = DEFAULTS;
  if (raw) {
    try {
      const r = Policies.safeParse(JSON.parse(raw));
      if (r.success) parsed = r.data;
      else log("warn", "RATE_LIMIT_POLICIES is invalid; using defaults");
    } catch {
      log("warn", "RATE_LIMIT_POLICIES is not JSON; using defaults");
    }
  }
  const policies: Record<PolicyName, Policy> = {
    requests: { name: "requests", ...parsed.requests },
    bytes: { name: "bytes", ...parsed.bytes },
    ip: { name: "ip", ...parsed.ip },
    public: { name: "public", ...parsed.public },
    publishable: { name: "publishable", ...parsed.publishable },
    publishableBytes: { name: "publishableBytes", ...parsed.publishableBytes },
  };
  memo = { raw, policies };
  return policies;
}

/** How each policy counts: the request policy refills continuously (bursts up to the quota). */
export const POLICY_ALGORITHM: Record<PolicyName, "token-bucket" | "fixed-window"> = {
  requests: "token-bucket",
  bytes: "fixed-window",
  ip: "fixed-window",
  public: "fixed-window",
  publishable: "token-bucket",
  publishableBytes: "fixed-window",
};

export function policyHeader(p: Policy): string {
  return `"${p.name}";q=${p.quota};w=${p.window}${p.name === "bytes" || p.name === "publishableBytes" ? ';qu="content-bytes"' : ""}`;
}

export function limitHeader(p: Policy, remaining: number, resetSeconds: number): string {
  return `"${p.name}";r=${remaining};t=${resetSeconds}`;
}
