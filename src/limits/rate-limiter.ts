/**
 * RateLimiter Durable Object: exact counters, one object per (tenant, policy), addressed with
 * `env.RATE_LIMITER.getByName(key)`. Requests to one object are serialised by its input gate,
 * so with N parallel hits against a quota of L exactly L are admitted. Fixed windows aligned to
 * the policy's window length; state lives in the object's SQLite-backed storage.
 */
import { DurableObject } from "cloudflare:workers";

export interface HitResult {
  allowed: boolean;
  /** Units left in the current window after this hit. */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

interface WindowState {
  start: number;
  used: number;
}

export class RateLimiter extends DurableObject {
  /**
   * Counts `cost` units against `quota` per `windowSeconds`. A denied hit consumes nothing.
   */
  async hit(cost: number, quota: number, windowSeconds: number): Promise<HitResult> {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const start = now - (now % windowMs);
    const stored = await this.ctx.storage.get<WindowState>("window");
    const state = stored && stored.start === start ? stored : { start, used: 0 };
    const allowed = state.used + cost <= quota;
    if (allowed) {
      state.used += cost;
      await this.ctx.storage.put("window", state);
    }
    return { allowed, remaining: Math.max(0, quota - state.used), resetSeconds: Math.ceil((start + windowMs - now) / 1000) };
  }
}
