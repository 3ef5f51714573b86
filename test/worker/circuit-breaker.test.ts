/**
 * Circuit breakers and retries: a breaker opens after its threshold of consecutive failures,
 * fails fast while open, lets one probe through after the cool-down, and closes on success.
 * Retries back off with jitter and only for transient errors. (Clock and sleep are injected.)
 */
import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError } from "../../src/limits/circuit-breaker";
import { inputErrorCode, isRetryable, withRetry } from "../../src/limits/retry";
import { resetBreakers } from "../../src/limits/circuit-breaker";

const fail = () => Promise.reject(new Error("D1 storage operation exceeded timeout"));

describe("CircuitBreaker", () => {
  it("opens after the threshold, fails fast, probes after the cool-down and closes on success", async () => {
    let now = 0;
    const breaker = new CircuitBreaker("d1", { threshold: 3, coolDownMs: 10_000, now: () => now });
    for (let i = 0; i < 3; i++) await expect(breaker.run(fail)).rejects.toThrow("timeout");
    expect(breaker.current).toBe("open");
    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    now = 9_999;
    expect(breaker.current).toBe("open");
    now = 10_000;
    expect(breaker.current).toBe("half-open");
    await expect(breaker.run(async () => "ok")).resolves.toBe("ok");
    expect(breaker.current).toBe("closed");
  });

  it("re-opens for a full cool-down when the probe fails", async () => {
    let now = 0;
    const breaker = new CircuitBreaker("r2", { threshold: 1, coolDownMs: 1_000, now: () => now });
    await expect(breaker.run(fail)).rejects.toThrow();
    now = 1_000;
    await expect(breaker.run(fail)).rejects.toThrow("timeout");
    expect(breaker.current).toBe("open");
    now = 1_999;
    expect(breaker.current).toBe("open");
    now = 2_000;
    expect(breaker.current).toBe("half-open");
  });

  it("counts only consecutive failures", async () => {
    const breaker = new CircuitBreaker("ai", { threshold: 2, coolDownMs: 1_000 });
    await expect(breaker.run(fail)).rejects.toThrow();
    await breaker.run(async () => 1);
    await expect(breaker.run(fail)).rejects.toThrow();
    expect(breaker.current).toBe("closed");
  });
});

describe("withRetry", () => {
  it("retries transient errors with growing jittered delays, then succeeds", async () => {
    resetBreakers();
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      "r2",
      async () => {
        if (++calls < 3) throw new Error("R2 service unavailable");
        return "done";
      },
      { attempts: 3, baseMs: 100, sleep: async (ms) => void delays.push(ms), random: () => 1 },
    );
    expect(value).toBe("done");
    expect(delays).toEqual([100, 200]);
  });

  it("does not retry errors that are not transient", async () => {
    resetBreakers();
    let calls = 0;
    await expect(
      withRetry(
        "d1",
        async () => {
          calls++;
          throw new Error("UNIQUE constraint failed: scans.id");
        },
        { sleep: async () => undefined },
      ),
    ).rejects.toThrow("UNIQUE");
    expect(calls).toBe(1);
    expect(isRetryable(new TypeError("x is not a function"))).toBe(false);
    expect(isRetryable(Object.assign(new Error("anything"), { retryable: true }))).toBe(true);
  });

  it("classifies a statement drizzle wrapped by D1's error inside it, not by the SQL and parameters it quotes", () => {
    const wrapped = (cause: string) => new Error('Failed query: insert into "scans" ("id") values (?)\nparams: timeout-reset', { cause: new Error(cause) });
    const unique = wrapped("D1_ERROR: UNIQUE constraint failed: scans.project_id, scans.idempotency_key: SQLITE_CONSTRAINT");
    expect(inputErrorCode(unique)).toBe("SQLITE_CONSTRAINT");
    expect(isRetryable(unique)).toBe(false);
    expect(isRetryable(wrapped("D1_ERROR: Network connection lost."))).toBe(true);
    expect(isRetryable(wrapped("D1_ERROR: no such column: x"))).toBe(false);
  });
});
