/**
 * Bindings, variables and secrets the Worker reads. Their types come from `wrangler types`
 * (worker-configuration.d.ts, generated from wrangler.toml and .dev.vars.example by `npm run
 * types`; `npm run typecheck` fails when it is stale); this file adds only what the generator
 * cannot know: the queue's message type, that a secret may be unset, and the settings whose
 * defaults live in src/settings.ts rather than in wrangler.toml.
 */
import type { Toucan } from "toucan-js";
import type { ScanJob } from "./queue/messages";
import type { LimitDecision } from "./limits/limiter";
import type { DashboardSession } from "./dashboard/sessions";

/** Secrets (.dev.vars.example lists them): each may be unset, and the code says what happens then. */
type Secret =
  | "ADMIN_TOKEN"
  | "SENTRY_DSN"
  | "CLERK_JWKS_URL"
  | "CLERK_ISSUER"
  | "CLERK_AUTHORIZED_PARTIES"
  | "CLERK_SIGN_IN_URL"
  | "GITHUB_WEBHOOK_SECRET"
  | "GITHUB_APP_ID"
  | "GITHUB_APP_PRIVATE_KEY"
  | "WEBHOOK_SECRET_KEY";

export interface Env extends Omit<WranglerEnv, Secret | "SCAN_JOBS">, Partial<Pick<WranglerEnv, Secret>> {
  SCAN_JOBS: Queue<ScanJob>;
  /** "off" swaps the Durable Object limiter for a no-op (benchmarks only). */
  RATE_LIMITING?: string;
  /** Identical submissions within this many seconds return the earlier scan. */
  DEDUPE_WINDOW_SECONDS?: string;
  /** Proofs larger than this many bytes of JSON go to R2 instead of D1. */
  PROOF_INLINE_MAX_BYTES?: string;
}

/** Per-request values set by middleware. */
export interface Vars {
  requestId: string;
  /** The signed-in dashboard browser, set by the requireSession middleware on dashboard pages. */
  session: DashboardSession;
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
  /** An API key; a publishable one works only from its allowed origins (auth/publishable-keys.ts). */
  | { kind: "key"; projectId: string; keyId: string; prefix: string; scopes: string[]; keyKind: "secret" | "publishable"; allowedOrigins: string[] }
  /** A dashboard user signed in with Clerk, member of the project's organization. */
  | { kind: "user"; projectId: string; userId: string; scopes: string[] };

export type AppEnv = { Bindings: Env; Variables: Vars };
