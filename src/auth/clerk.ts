/**
 * Clerk session tokens for dashboard users, verified without Clerk's SDK (REFERENCE.md §10):
 * RS256 signature against the JWKS, exp/nbf, `iss` equal to the configured Frontend API URL,
 * `azp` among the allowed origins when present, and a `sid` (which JWT-template tokens lack). The
 * organization (`org_id`, or `o.id` in v2 claims) names the project.
 *
 * Keys come from jose's remote key set, one per isolate and URL: cached for ten minutes, fetched
 * again at once when a token names a key it does not hold (Clerk rotated its keys: sessions keep
 * working), but at most once per 30 s, so tokens with made-up or missing `kid`s cannot make the
 * Worker fetch the JWKS on every request.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { Env } from "../env";

export interface ClerkSession {
  userId: string;
  sessionId: string;
  orgId: string | null;
}

const KEY_SETS = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(uri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = KEY_SETS.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { cacheMaxAge: 10 * 60 * 1000, cooldownDuration: 30 * 1000, timeoutDuration: 5000 });
    KEY_SETS.set(uri, set);
  }
  return set;
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** The session a token proves, or null when it does not verify. */
export async function verifyClerkSession(token: string, env: Env): Promise<ClerkSession | null> {
  if (!env.CLERK_JWKS_URL || !env.CLERK_ISSUER) return null;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet(env.CLERK_JWKS_URL), { issuer: env.CLERK_ISSUER, algorithms: ["RS256"], clockTolerance: 5 }));
  } catch {
    return null;
  }
  const allowed = (env.CLERK_AUTHORIZED_PARTIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (typeof payload.azp === "string" && !allowed.includes(payload.azp)) return null;
  if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
  const org =
    typeof payload.org_id === "string" ? payload.org_id : typeof (payload.o as { id?: unknown })?.id === "string" ? (payload.o as { id: string }).id : null;
  return { userId: payload.sub, sessionId: payload.sid, orgId: org };
}
