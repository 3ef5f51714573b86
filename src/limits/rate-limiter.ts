/**
 * RateLimiter Durable Object: exact counters, one object per (tenant, policy), addressed with
 * `env.RATE_LIMITER.getByName("requests:prj_…")`. A Durable Object handles one event at a time
 * and each hit reads and updates its state synchronously, so with N parallel hits against a
 * quota of L exactly L are admitted. The state lives in memory and is written through to the
 * object's storage without holding the answer until the write is confirmed (`allowUnconfirmed`):
 * every request of a tenant passes through its object, so waiting for each commit would queue
 * them all behind the disk. If the object restarts before a write lands, a few hits may be
 * forgotten — acceptable for a rate limit, never a double count. Two algorithms:
 * - token bucket (request rate): capacity = quota, refilled at quota/window per second;
 * - fixed window (daily bytes, per-IP): `quota` units per aligned window.
 * A denied hit consumes nothing, and a hit for work not done after all can be refunded. The
 * same objects also count concurrent work (AI calls per tenant) with expiring leases, so a
 * crashed holder cannot keep a slot forever.
 */
import { DurableObject } from "cloudflare:workers";

export interface HitResult {
  allowed: boolean;
  /** Whole units left after this hit. */
  remaining: number;
  /** Seconds until the quota is fully available again (fixed window: until the window resets). */
  resetSeconds: number;
  /** When denied: seconds until `cost` units are available. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Window {
  start: number;
  used: number;
}

export class RateLimiter extends DurableObject {
  private readonly cache = new Map<string, unknown>();

  private load<T>(key: string): T | undefined {
    if (!this.cache.has(key)) this.cache.set(key, this.ctx.storage.kv.get<T>(key));
    return this.cache.get(key) as T | undefined;
  }

  private save(key: string, value: unknown): void {
    this.cache.set(key, value);
    void this.ctx.storage.put(key, value, { allowUnconfirmed: true });
  }

  /** Counts `cost` units against `quota` per `windowSeconds` with the given algorithm. */
  hit(algorithm: "token-bucket" | "fixed-window", cost: number, quota: number, windowSeconds: number): HitResult {
    const now = Date.now();
    return algorithm === "token-bucket" ? this.bucket(now, cost, quota, windowSeconds) : this.window(now, cost, quota, windowSeconds);
  }

  /**
   * Gives back `cost` units an earlier hit took for work that was not done after all (a request
   * that lost a race to a replay, or failed on the server's side). Never past a full quota, and a
   * fixed window that has rolled over since owes nothing.
   */
  refund(algorithm: "token-bucket" | "fixed-window", cost: number, quota: number, windowSeconds: number): void {
    const now = Date.now();
    if (algorithm === "token-bucket") {
      const stored = this.load<Bucket>("bucket");
      if (stored) this.save("bucket", { tokens: Math.min(quota, stored.tokens + cost), at: stored.at } satisfies Bucket);
      return;
    }
    const windowMs = windowSeconds * 1000;
    const stored = this.load<Window>("window");
    if (stored && stored.start === now - (now % windowMs)) this.save("window", { start: stored.start, used: Math.max(0, stored.used - cost) } satisfies Window);
  }

  /** Takes one of `limit` concurrent slots for `leaseMs`; returns a token to release, or null when all are taken. */
  acquire(limit: number, leaseMs: number): string | null {
    const now = Date.now();
    const leases = Object.fromEntries(Object.entries(this.load<Record<string, number>>("leases") ?? {}).filter(([, expires]) => expires > now));
    if (Object.keys(leases).length >= limit) {
      this.save("leases", leases);
      return null;
    }
    const token = crypto.randomUUID();
    leases[token] = now + leaseMs;
    this.save("leases", leases);
    return token;
  }

  release(token: string): void {
    const leases = { ...(this.load<Record<string, number>>("leases") ?? {}) };
    delete leases[token];
    this.save("leases", leases);
  }

  private bucket(now: number, cost: number, quota: number, windowSeconds: number): HitResult {
    const perMs = quota / (windowSeconds * 1000);
    const stored = this.load<Bucket>("bucket");
    const tokens = stored ? Math.min(quota, stored.tokens + (now - stored.at) * perMs) : quota;
    const allowed = cost <= tokens;
    const left = allowed ? tokens - cost : tokens;
    this.save("bucket", { tokens: left, at: now } satisfies Bucket);
    return {
      allowed,
      remaining: Math.floor(left),
      resetSeconds: Math.ceil((quota - left) / perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((cost - left) / perMs / 1000)),
    };
  }

  private window(now: number, cost: number, quota: number, windowSeconds: number): HitResult {
    const windowMs = windowSeconds * 1000;
    const start = now - (now % windowMs);
    const stored = this.load<Window>("window");
    const state = stored && stored.start === start ? { ...stored } : { start, used: 0 };
    const allowed = state.used + cost <= quota;
    if (allowed) state.used += cost;
    this.save("window", state);
    const resetSeconds = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    return { allowed, remaining: quota - state.used, resetSeconds, retryAfterSeconds: allowed ? 0 : resetSeconds };
  }
}
