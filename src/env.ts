/** Bindings, variables and secrets the Worker reads (wrangler.toml and .dev.vars.example list them). */
import type { RateLimiter } from "./limits/rate-limiter";
import type { ScanJob } from "./queue/messages";

export interface Env {
  DB: D1Database;
  PROOFS: R2Bucket;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  SCAN_JOBS: Queue<ScanJob>;
  AI?: Ai;

  SYNC_SCAN_MAX_BYTES: string;
  MAX_FILE_BYTES: string;
  MAX_SCAN_BYTES: string;
  MAX_FILES: string;
  MAX_BODY_BYTES: string;
  RATE_LIMIT_POLICIES: string;
  AI_MODEL: string;

  ADMIN_TOKEN?: string;
  SENTRY_DSN?: string;
  CLERK_JWKS_URL?: string;
  CLERK_ISSUER?: string;
  CLERK_AUTHORIZED_PARTIES?: string;
  GITHUB_WEBHOOK_SECRET?: string;
}

/** Per-request values set by middleware. */
export interface Vars {
  requestId: string;
}

export type AppEnv = { Bindings: Env; Variables: Vars };

/** A positive integer variable, or the fallback when it is missing or malformed. */
export function intVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}
