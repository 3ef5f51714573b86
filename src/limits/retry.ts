/**
 * Retries for transient failures of D1, R2 and Workers AI: exponential backoff with full jitter,
 * only for errors that are retryable, always through the dependency's circuit breaker (an open
 * breaker is not retried: that is the point of it). Errors the input caused (a value over D1's
 * size limits, a broken constraint) are neither retried nor held against the dependency: it
 * answered, and it would answer the same again.
 */
import { breakerFor, CircuitOpenError, type Dependency } from "./circuit-breaker";

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const TRANSIENT =
  /network|timed? ?out|timeout|reset|unavailable|overloaded|busy|try again|temporar|internal error|503|502|504|429|D1_ERROR.*(?:reset|storage)|storage operation exceeded|connection/i;

/** D1 (SQLite) and R2 answers that depend only on what was sent. */
const INPUT_CAUSED = /SQLITE_(?:TOOBIG|CONSTRAINT|MISMATCH|RANGE)|string or blob too big|statement too long|too many SQL variables|EntityTooLarge/i;

/**
 * What an error says, through its causes: drizzle reports a failed statement as "Failed query: …"
 * with D1's own error as the cause. That wrapper's text (the SQL and its parameters, which hold
 * submitted values) is left out, so only what D1 said is classified.
 */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : typeof e === "string" ? e : "";
    if (!message.startsWith("Failed query:")) parts.push(message);
  }
  return parts.join("\n");
}

/** The dependency's error code for an input-caused failure (e.g. "SQLITE_TOOBIG"), or null for any other error. */
export function inputErrorCode(error: unknown): string | null {
  const message = errorText(error);
  const match = INPUT_CAUSED.exec(message);
  return match ? (/SQLITE_[A-Z]+/.exec(message)?.[0] ?? match[0]) : null;
}

/** Whether an error is worth retrying: transient platform errors yes, bad input or logic errors no. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CircuitOpenError || inputErrorCode(error) !== null) return false;
  if (error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError) return false;
  const e = error as { retryable?: boolean; message?: string };
  if (typeof e?.retryable === "boolean") return e.retryable;
  return TRANSIENT.test(errorText(error));
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
      return await breaker.run(fn, (error) => inputErrorCode(error) === null);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(Math.round(random() * Math.min(max, base * 2 ** (attempt - 1))));
    }
  }
}
