/**
 * Clerk session tokens for dashboard users, verified without Clerk's SDK (REFERENCE.md §10):
 * RS256 signature by `kid` against the JWKS (cached per isolate for ten minutes), exp/nbf, `iss`
 * equal to the configured Frontend API URL, `azp` among the allowed origins when present, and a
 * `sid` (which JWT-template tokens lack). The organization (`org_id`, or `o.id` in v2 claims)
 * names the project.
 */
import { verifyWithJwks } from "hono/utils/jwt/jwt";
import type { HonoJsonWebKey } from "hono/utils/jwt/jws";
import type { Env } from "../env";

export interface ClerkSession {
  userId: string;
  sessionId: string;
  orgId: string | null;
}

const JWKS_TTL_MS = 10 * 60 * 1000;
let jwksCache: { uri: string; keys: HonoJsonWebKey[]; at: number } | undefined;

async function jwks(uri: string, refresh: boolean): Promise<HonoJsonWebKey[]> {
  if (!refresh && jwksCache && jwksCache.uri === uri && Date.now() - jwksCache.at < JWKS_TTL_MS) return jwksCache.keys;
  const res = await fetch(uri, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
  const body = (await res.json()) as { keys?: HonoJsonWebKey[] };
  jwksCache = { uri, keys: body.keys ?? [], at: Date.now() };
  return jwksCache.keys;
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** The session a token proves, or null when it does not verify. */
export async function verifyClerkSession(token: string, env: Env): Promise<ClerkSession | null> {
  if (!env.CLERK_JWKS_URL || !env.CLERK_ISSUER) return null;
  let payload: Record<string, unknown>;
  try {
    payload = await verifyWithJwks(token, { keys: await jwks(env.CLERK_JWKS_URL, false), allowedAlgorithms: ["RS256"], verification: { iss: env.CLERK_ISSUER } });
  } catch (error) {
    // A rotated key: refetch the JWKS once.
    if (!/kid|key/i.test(String((error as Error)?.message))) return null;
    try {
      payload = await verifyWithJwks(token, { keys: await jwks(env.CLERK_JWKS_URL, true), allowedAlgorithms: ["RS256"], verification: { iss: env.CLERK_ISSUER } });
    } catch {
      return null;
    }
  }
  const allowed = (env.CLERK_AUTHORIZED_PARTIES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (typeof payload.azp === "string" && !allowed.includes(payload.azp)) return null;
  if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
  const org = typeof payload.org_id === "string" ? payload.org_id : typeof (payload.o as { id?: unknown })?.id === "string" ? (payload.o as { id: string }).id : null;
  return { userId: payload.sub, sessionId: payload.sid, orgId: org };
}
