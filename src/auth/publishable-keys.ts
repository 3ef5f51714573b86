/**
 * Publishable keys (`pca_pub_…`, the Stripe `pk_` convention): a key safe to ship in a web page,
 * so it may do only what any visitor of that page may do — create a scan and read back the scans
 * it created — from the origins it was created for, within its own tighter limits. This module
 * holds what that means: the origin syntax accepted at creation, the submission limits, the
 * rate-limit policies a publishable caller counts against, and the CORS question a preflight
 * asks before any key is sent ("does any live publishable key allow this origin?").
 */
import { z } from "zod";
import type { Caller, Env } from "../env";
import { hasCardDataOrSecret } from "../observability/scrub";
import type { PolicyName } from "../limits/policies";
import { settings } from "../settings";
import type { SubmissionLimits } from "../scans/submission";

/** Hosts a page may be served from over plain http: only this machine (local development). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether `value` is an origin exactly as a browser sends it in `Origin`: scheme://host[:port],
 * lowercase, no path, no trailing slash, no default port; https, or http on a loopback host.
 * @example isExactOrigin("https://wiki.example.com") // true; "https://wiki.example.com/" is false
 */
export function isExactOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin !== value) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

export const AllowedOrigin = z
  .string()
  .max(255)
  .refine(isExactOrigin, "must be an origin as browsers send it: https://host[:port] (http only for localhost), no path or trailing slash")
  // Stored and shown back, like every label: never a card number or secret.
  .refine((origin) => !hasCardDataOrSecret(origin), "must not contain a card number or secret");

/** A key's origins: at least one, at most MAX_ORIGINS, no repeats. */
export const MAX_ORIGINS = 20;
export const AllowedOrigins = z
  .array(AllowedOrigin)
  .min(1)
  .max(MAX_ORIGINS)
  .refine((list) => new Set(list).size === list.length, "must not repeat an origin");

/** The one scope a publishable key holds; reading its own scans needs none. */
export const PUBLISHABLE_SCOPES = ["scans:write"] as const;

export type PublishableCaller = Extract<Caller, { kind: "key" }> & { keyKind: "publishable" };

export function isPublishable(caller: Caller | undefined): caller is PublishableCaller {
  return caller?.kind === "key" && caller.keyKind === "publishable";
}

/** The submission limits for a publishable caller: the secret-key limits, tightened. */
export function publishableSubmissionLimits(env: Env, limits: SubmissionLimits): SubmissionLimits {
  const s = settings(env);
  return {
    maxFiles: Math.min(limits.maxFiles, s.PUBLISHABLE_MAX_FILES),
    maxFileBytes: Math.min(limits.maxFileBytes, s.PUBLISHABLE_MAX_SCAN_BYTES),
    maxScanBytes: Math.min(limits.maxScanBytes, s.PUBLISHABLE_MAX_SCAN_BYTES),
    syncMaxBytes: limits.syncMaxBytes,
  };
}

/**
 * Which byte quota a scan counts against, and whose: a project's daily bytes for secret keys and
 * dashboard users, each publishable key's own (smaller) daily bytes for the widget.
 */
export function bytesQuota(caller: Exclude<Caller, { kind: "admin" }>): { policy: PolicyName; tenant: string } {
  return isPublishable(caller) ? { policy: "publishableBytes", tenant: caller.keyId } : { policy: "bytes", tenant: caller.projectId };
}

/**
 * Whether any live publishable key lists `origin` (a preflight carries no key, so this is all it
 * can be answered on; the actual request is then checked against its own key's origins).
 */
export async function originHasPublishableKey(db: D1Database, origin: string): Promise<boolean> {
  if (!isExactOrigin(origin)) return false;
  const row = await db
    .prepare(
      "SELECT 1 AS ok FROM api_keys, json_each(api_keys.allowed_origins) AS o WHERE api_keys.kind = 'publishable' AND api_keys.revoked_at IS NULL AND o.value = ? LIMIT 1",
    )
    .bind(origin)
    .first<{ ok: number }>();
  return row !== null;
}
