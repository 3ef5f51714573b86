/** Bindings, variables and secrets the Worker reads (wrangler.toml and .dev.vars.example list them). */
import type { RateLimiter } from "./limits/rate-limiter";
import type { Toucan } from "toucan-js";
import type { ScanJob } from "./queue/messages";
import type { LimitDecision } from "./limits/limiter";

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
  /** "false" turns AI explanations off (local dev and tests, where Workers AI has no simulator). */
  AI_ENABLED?: string;
  /** "off" swaps the Durable Object limiter for a no-op (benchmarks only). */
  RATE_LIMITING?: string;
  /** Identical submissions within this many seconds return the earlier scan. */
  DEDUPE_WINDOW_SECONDS?: string;
  /** Days scans, findings and their R2 objects are kept. */
  RETENTION_DAYS?: string;
  /** Minutes a scan may stay queued or running before the sweep re-queues or fails it. */
  STUCK_SCAN_MINUTES?: string;
  /** Proofs larger than this many bytes of JSON go to R2 instead of D1. */
  PROOF_INLINE_MAX_BYTES?: string;
  /** Milliseconds one webhook delivery attempt may take. */
  WEBHOOK_TIMEOUT_MS?: string;
  /** Hours a webhook endpoint may fail continuously before it is disabled. */
  WEBHOOK_DISABLE_AFTER_HOURS?: string;

  /** Bytes of a GitHub webhook delivery read before a 413. */
  GITHUB_WEBHOOK_MAX_BYTES?: string;
  /** Changed files one GitHub check job fetches at most. */
  GITHUB_MAX_FILES?: string;

  ADMIN_TOKEN?: string;
  SENTRY_DSN?: string;
  CLERK_JWKS_URL?: string;
  CLERK_ISSUER?: string;
  CLERK_AUTHORIZED_PARTIES?: string;
  /** The GitHub App's webhook secret (X-Hub-Signature-256); unset: GitHub is not configured. */
  GITHUB_WEBHOOK_SECRET?: string;
  /** The GitHub App's id (the App JWT's `iss`). */
  GITHUB_APP_ID?: string;
  /** The GitHub App's private key, PEM (PKCS#1 as GitHub hands it out, or PKCS#8). */
  GITHUB_APP_PRIVATE_KEY?: string;
  /** Base64 of 32 random bytes: the AES-GCM key that seals webhook signing secrets in D1. */
  WEBHOOK_SECRET_KEY?: string;
}

/** Per-request values set by middleware. */
export interface Vars {
  requestId: string;
  /** Who is calling, set by the authenticate middleware on /v1 routes. */
  caller: Caller;
  /** Rate-limit decisions taken for this request, rendered as RateLimit headers. */
  limits: LimitDecision[];
  /** The validated JSON body (middleware/json-body.ts). */
  body: unknown;
  /** The validated query parameters (middleware/query-params.ts). */
  query: unknown;
  /** The request's Sentry client, when SENTRY_DSN is set. */
  sentry?: Toucan;
  /** Scan figures for the request log line (bytes, files, findings by severity). */
  scanLog?: Record<string, unknown>;
}

export type Caller =
  | { kind: "admin" }
  | { kind: "key"; projectId: string; keyId: string; prefix: string; scopes: string[] }
  /** A dashboard user signed in with Clerk, member of the project's organization. */
  | { kind: "user"; projectId: string; userId: string; scopes: string[] };

export type AppEnv = { Bindings: Env; Variables: Vars };
