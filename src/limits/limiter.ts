/**
 * The limiter interface routes and middleware use (STYLE.md §4): the Durable Object client in
 * production and tests, and a no-op when limits are switched off (RATE_LIMITING = "off", used by
 * the API benchmark to measure what the limiter costs).
 */
import type { Env } from "../env";
import { POLICY_ALGORITHM, readPolicies, type Policy, type PolicyName } from "./policies";
import type { HitResult } from "./rate-limiter";

export interface LimitDecision extends HitResult {
  policy: Policy;
}

export interface Limiter {
  hit(policy: PolicyName, tenant: string, cost: number): Promise<LimitDecision>;
  /** Gives back what a hit took for work that was not done after all. */
  refund(policy: PolicyName, tenant: string, cost: number): Promise<void>;
}

function durableObjectLimiter(env: Env): Limiter {
  const policies = readPolicies(env.RATE_LIMIT_POLICIES);
  return {
    async hit(name, tenant, cost) {
      const policy = policies[name];
      const stub = env.RATE_LIMITER.getByName(`${name}:${tenant}`);
      const result = await stub.hit(POLICY_ALGORITHM[name], cost, policy.quota, policy.window);
      return { ...result, policy };
    },
    async refund(name, tenant, cost) {
      const policy = policies[name];
      await env.RATE_LIMITER.getByName(`${name}:${tenant}`).refund(POLICY_ALGORITHM[name], cost, policy.quota, policy.window);
    },
  };
}

function noopLimiter(env: Env): Limiter {
  const policies = readPolicies(env.RATE_LIMIT_POLICIES);
  return {
    hit(name) {
      const policy = policies[name];
      return Promise.resolve({ allowed: true, remaining: policy.quota, resetSeconds: 0, retryAfterSeconds: 0, policy });
    },
    async refund() {},
  };
}

export function limiterFor(env: Env): Limiter {
  return env.RATE_LIMITING === "off" ? noopLimiter(env) : durableObjectLimiter(env);
}
