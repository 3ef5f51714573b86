/**
 * Retries for transient failures of D1, R2 and Workers AI: exponential backoff with full jitter,
 * only for errors that are retryable, always through the dependency's circuit breaker (an open
 * breaker is not retried: that is the point of it).
 */
import { breakerFor, CircuitOpenError, type Dependency } from "./circuit-breaker";

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const TRANSIENT = /network|timed? ?out|timeout|reset|unavailable|overloaded|busy|try again|temporar|internal error|503|502|504|429|D1_ERROR.*(?:reset|storage)|storage operation exceeded|connection/i;

/** Whether an error is worth retrying: transient platform errors yes, bad input or logic errors no. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CircuitOpenError) return false;
  if (error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError) return false;
  const e = error as { retryable?: boolean; message?: string };
  if (typeof e?.retryable === "boolean") return e.retryable;
  return TRANSIENT.test(String(e?.message ?? error));
}

export async function withRetry<T>(dependency: Dependency, fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 2_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const breaker = breakerFor(dependency);
  for (let attempt = 1; ; attempt++) {
    try {
      return await breaker.run(fn);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(Math.round(random() * Math.min(max, base * 2 ** (attempt - 1))));
    }
  }
}
