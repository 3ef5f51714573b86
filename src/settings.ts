/**
 * The Worker's settings, read from the environment in one place and once per environment object.
 * Numbers: every `[vars]` number wrangler.toml (or a test) may set, with its unit in its name and
 * its default; a missing or malformed value (not a whole number above 0) takes the default, as a
 * limit that silently became 0 or NaN would refuse or admit everything. The GitHub App: its
 * secrets, all optional — without them the GitHub routes say GitHub is not configured.
 */
import { z } from "zod";
import { DEFAULT_LIMITS } from "./engine/limits";
import type { Env } from "./env";

/** A positive whole number, or `fallback`. */
const positive = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v);
      return Number.isSafeInteger(n) && n > 0 ? n : fallback;
    });

const SETTINGS = z.object({
  /** Files one submission may hold (the engine's own default). */
  MAX_FILES: positive(DEFAULT_LIMITS.maxFiles),
  /** Bytes one submitted file may hold. */
  MAX_FILE_BYTES: positive(DEFAULT_LIMITS.maxFileBytes),
  /** Bytes one submission may hold, all files together. */
  MAX_SCAN_BYTES: positive(DEFAULT_LIMITS.maxScanBytes),
  /** Submissions up to this many bytes are scanned in the request (201); larger ones are queued (202). */
  SYNC_SCAN_MAX_BYTES: positive(262_144),
  /** Bytes of request body read before a 413. */
  MAX_BODY_BYTES: positive(12_000_000),
  /** Seconds within which an identical submission returns the earlier scan. */
  DEDUPE_WINDOW_SECONDS: positive(3_600),
  /** Days scans, findings and their R2 objects are kept. */
  RETENTION_DAYS: positive(30),
  /** Minutes a scan may stay queued or running before the sweep re-queues or fails it. */
  STUCK_SCAN_MINUTES: positive(30),
  /** A finding's proof or fix larger than this many bytes of JSON goes to R2 instead of D1. */
  PROOF_INLINE_MAX_BYTES: positive(8_192),
  /** Bytes one submission from a publishable key (the widget) may hold, all files together. */
  PUBLISHABLE_MAX_SCAN_BYTES: positive(131_072),
  /** Files one submission from a publishable key may hold. */
  PUBLISHABLE_MAX_FILES: positive(10),
  /** Bytes of a GitHub webhook delivery read before a 413 (GitHub sends up to 25 MB; we need a few fields). */
  GITHUB_WEBHOOK_MAX_BYTES: positive(5_000_000),
  /** Changed files one GitHub check job fetches at most (each is a subrequest), also bounded by MAX_FILES. */
  GITHUB_MAX_FILES: positive(250),
  /** Milliseconds one webhook delivery attempt may take before it counts as a timeout. */
  WEBHOOK_TIMEOUT_MS: positive(15_000),
  /** Hours a webhook endpoint may fail continuously before it is disabled (PATCH re-enables it). */
  WEBHOOK_DISABLE_AFTER_HOURS: positive(72),
});

export type Settings = z.output<typeof SETTINGS>;

const parsed = new WeakMap<object, Settings>();

/**
 * The settings of an environment, parsed on first use and kept for its lifetime (an isolate's).
 *
 * @example settings(c.env).MAX_BODY_BYTES // 12000000 unless wrangler.toml says otherwise
 */
export function settings(env: Env): Settings {
  let s = parsed.get(env);
  if (s === undefined) {
    s = SETTINGS.parse({
      MAX_FILES: env.MAX_FILES,
      MAX_FILE_BYTES: env.MAX_FILE_BYTES,
      MAX_SCAN_BYTES: env.MAX_SCAN_BYTES,
      SYNC_SCAN_MAX_BYTES: env.SYNC_SCAN_MAX_BYTES,
      MAX_BODY_BYTES: env.MAX_BODY_BYTES,
      DEDUPE_WINDOW_SECONDS: env.DEDUPE_WINDOW_SECONDS,
      RETENTION_DAYS: env.RETENTION_DAYS,
      STUCK_SCAN_MINUTES: env.STUCK_SCAN_MINUTES,
      PROOF_INLINE_MAX_BYTES: env.PROOF_INLINE_MAX_BYTES,
      PUBLISHABLE_MAX_SCAN_BYTES: env.PUBLISHABLE_MAX_SCAN_BYTES,
      PUBLISHABLE_MAX_FILES: env.PUBLISHABLE_MAX_FILES,
      GITHUB_WEBHOOK_MAX_BYTES: env.GITHUB_WEBHOOK_MAX_BYTES,
      GITHUB_MAX_FILES: env.GITHUB_MAX_FILES,
      WEBHOOK_TIMEOUT_MS: env.WEBHOOK_TIMEOUT_MS,
      WEBHOOK_DISABLE_AFTER_HOURS: env.WEBHOOK_DISABLE_AFTER_HOURS,
    });
    parsed.set(env, s);
  }
  return s;
}

/** The GitHub App's secrets (README, "GitHub App"): the webhook secret verifies deliveries, the App id and key mint tokens. */
export interface GithubAppSettings {
  webhookSecret: string;
  /** Set together, or the App cannot call GitHub: deliveries are then verified but not scanned. */
  app: { id: string; privateKey: string } | null;
}

/**
 * The GitHub App settings, or null when GITHUB_WEBHOOK_SECRET is unset (GitHub not configured).
 *
 * @example githubAppSettings(env)?.app?.id // "123456"
 */
export function githubAppSettings(env: Env): GithubAppSettings | null {
  const secret = env.GITHUB_WEBHOOK_SECRET?.trim();
  if (!secret) return null;
  const id = env.GITHUB_APP_ID?.trim();
  const privateKey = env.GITHUB_APP_PRIVATE_KEY?.trim();
  return { webhookSecret: secret, app: id && privateKey ? { id, privateKey } : null };
}
