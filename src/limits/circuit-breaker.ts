/**
 * A circuit breaker per dependency (D1, R2, AI, queue) in each isolate: after `threshold`
 * consecutive failures it opens and fails fast for `coolDownMs`, then lets one probe through
 * (half-open); a successful probe closes it. Transitions are logged as JSON lines and the state
 * is reported by /readyz. Isolate-local on purpose: it protects this isolate from hammering a
 * failing dependency and needs no coordination.
 */
import { log } from "../observability/log";

export type BreakerState = "closed" | "open" | "half-open";
export type Dependency = "d1" | "r2" | "ai" | "queue";

export class CircuitOpenError extends Error {
  constructor(readonly dependency: Dependency) {
    super(`${dependency} circuit is open`);
    this.name = "CircuitOpenError";
  }
}

export interface BreakerOptions {
  threshold: number;
  coolDownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(
    readonly dependency: Dependency,
    private readonly options: BreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Current state; an open breaker past its cool-down reports half-open. */
  get current(): BreakerState {
    if (this.state === "open" && this.now() - this.openedAt >= this.options.coolDownMs) return "half-open";
    return this.state;
  }

  /**
   * Runs `fn` through the breaker: fails fast while open, records the outcome otherwise. An error
   * for which `isFailure` says no (the dependency answered, refusing the input) counts as an answer.
   */
  async run<T>(fn: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    const state = this.current;
    if (state === "open" || (state === "half-open" && this.probing)) throw new CircuitOpenError(this.dependency);
    if (state === "half-open") {
      this.transition("half-open");
      this.probing = true;
    }
    try {
      const value = await fn();
      this.succeeded();
      return value;
    } catch (error) {
      if (isFailure(error)) this.failed();
      else this.succeeded();
      throw error;
    } finally {
      this.probing = false;
    }
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.state !== "closed") this.transition("closed");
  }

  private failed(): void {
    this.failures++;
    if (this.state === "half-open" || (this.state === "closed" && this.failures >= this.options.threshold)) {
      this.openedAt = this.now();
      this.transition("open");
    }
  }

  private transition(to: BreakerState): void {
    const from = this.state;
    this.state = to;
    log(to === "open" ? "warn" : "info", "circuit breaker transition", { dependency: this.dependency, from, to, failures: this.failures });
  }
}

const DEFAULTS: Record<Dependency, BreakerOptions> = {
  d1: { threshold: 5, coolDownMs: 10_000 },
  r2: { threshold: 5, coolDownMs: 10_000 },
  ai: { threshold: 3, coolDownMs: 60_000 },
  queue: { threshold: 5, coolDownMs: 10_000 },
};

const breakers = new Map<Dependency, CircuitBreaker>();

/** The isolate's breaker for a dependency. */
export function breakerFor(dependency: Dependency): CircuitBreaker {
  let b = breakers.get(dependency);
  if (!b) breakers.set(dependency, (b = new CircuitBreaker(dependency, DEFAULTS[dependency])));
  return b;
}

/** Every breaker's state, for /readyz. */
export function breakerStates(): Record<Dependency, BreakerState> {
  return Object.fromEntries((Object.keys(DEFAULTS) as Dependency[]).map((d) => [d, breakerFor(d).current])) as Record<Dependency, BreakerState>;
}

/** Test hook: forget every breaker's state. */
export function resetBreakers(): void {
  breakers.clear();
}
