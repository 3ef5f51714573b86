/**
 * Who is calling a /v1 route: the deployment's admin token, a project API key
 * (`Authorization: Bearer pca_…`, looked up by SHA-256 hash, refused when revoked), or — when
 * CLERK_JWKS_URL is set — a Clerk session token whose organization owns a project. Requests
 * without valid credentials count against the per-IP policy, so guessing keys is rate limited
 * too; past that policy they get 429 instead of 401. A request carrying `Origin` comes from a
 * browser: a secret key or the admin token there is refused (403: nobody should paste one into
 * a page), and a publishable key works only from one of its own allowed origins (403 otherwise,
 * and without `Origin` at all). `authorize(route)` then checks what the route declares (the
 * admin, or a key's scope; for a publishable key, that the route admits publishable keys) before
 * its body is read, so a key without the scope gets 403 whatever it sends; handlers take the
 * typed caller with `projectCaller(c)`.
 */
import type { Context, MiddlewareHandler } from "hono";
import { hashApiKey, looksLikeApiKey } from "../auth/api-keys";
import { isPublishable } from "../auth/publishable-keys";
import { looksLikeJwt, verifyClerkSession } from "../auth/clerk";
import type { AppEnv, Caller } from "../env";
import { ApiError } from "../errors";
import { limiterFor } from "../limits/limiter";
import type { RouteDef } from "../routes/route";
import { clientIp, recordLimit } from "./rate-limit";

/** How often a key's last_used_at is refreshed, at most (ms): not a D1 write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    const caller = token ? await identify(c, token, TOUCH_INTERVAL_MS) : null;
    if (!caller) {
      recordLimit(c, await limiterFor(c.env).hit("ip", clientIp(c), 1));
      throw new ApiError("unauthorized", token ? "The API key is invalid or revoked." : "Send an API key as Authorization: Bearer pca_….", {
        headers: { "WWW-Authenticate": 'Bearer realm="pci-auditor"' },
      });
    }
    const refused = originRefusal(caller, c.req.header("origin"));
    if (refused) {
      // Counted like failed authentication: a key used from the wrong place is no cheaper to try.
      recordLimit(c, await limiterFor(c.env).hit("ip", clientIp(c), 1));
      throw refused;
    }
    c.set("caller", caller);
    await next();
  };
}

/** Browsers send `Origin`: only publishable keys (from their own origins) and dashboard sessions work there. */
function originRefusal(caller: Caller, origin: string | undefined): ApiError | null {
  if (isPublishable(caller)) {
    if (origin === undefined) return new ApiError("forbidden", "A publishable key works only from a web page on one of its allowed origins.");
    if (!caller.allowedOrigins.includes(origin)) return new ApiError("forbidden", "This publishable key is not allowed from this origin.", { origin });
  } else if (origin !== undefined && (caller.kind === "admin" || caller.kind === "key")) {
    return new ApiError("forbidden", "Secret keys never work from browsers: call the API from your server, or create a publishable key for this page.");
  }
  return null;
}

async function identify(c: Context<AppEnv>, token: string, touchInterval: number): Promise<Caller | null> {
  if (c.env.ADMIN_TOKEN && !looksLikeApiKey(token) && (await timingSafeEqualText(token, c.env.ADMIN_TOKEN))) return { kind: "admin" };
  if (looksLikeJwt(token)) {
    const session = await verifyClerkSession(token, c.env);
    if (!session?.orgId) return null;
    const project = await c.env.DB.prepare("SELECT id FROM projects WHERE clerk_org_id = ?").bind(session.orgId).first<{ id: string }>();
    return project ? { kind: "user", projectId: project.id, userId: session.userId, scopes: ["scans:read", "scans:write"] } : null;
  }
  if (!looksLikeApiKey(token)) return null;
  const hash = await hashApiKey(token);
  const row = await c.env.DB.prepare("SELECT id, project_id, prefix, scopes, kind, allowed_origins, revoked_at, last_used_at FROM api_keys WHERE hash = ?")
    .bind(hash)
    .first<{
      id: string;
      project_id: string;
      prefix: string;
      scopes: string;
      kind: "secret" | "publishable";
      allowed_origins: string | null;
      revoked_at: number | null;
      last_used_at: number | null;
    }>();
  if (!row || row.revoked_at !== null) return null;
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at > touchInterval) {
    c.executionCtx.waitUntil(
      c.env.DB.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
        .bind(now, row.id)
        .run()
        .catch(() => undefined),
    );
  }
  return {
    kind: "key",
    projectId: row.project_id,
    keyId: row.id,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    keyKind: row.kind,
    allowedOrigins: row.allowed_origins ? (JSON.parse(row.allowed_origins) as string[]) : [],
  };
}

/** The calling project member (key or user); 403 for the admin token, which is not a project member. */
export function projectCaller(c: Context<AppEnv>): Exclude<Caller, { kind: "admin" }> {
  const caller = c.get("caller");
  if (!caller || caller.kind === "admin") throw new ApiError("forbidden", "This route needs a project API key.");
  return caller;
}

/** The calling project member, which must hold `scope` (403 otherwise). */
function requireScope(c: Context<AppEnv>, scope: string): void {
  const caller = projectCaller(c);
  if (!caller.scopes.includes(scope)) throw new ApiError("forbidden", `This API key lacks the ${scope} scope.`, { scope });
}

function requireAdmin(c: Context<AppEnv>): void {
  if (c.get("caller")?.kind !== "admin") throw new ApiError("forbidden", "This route needs the admin token.");
}

/**
 * The access a route declares (admin, or a key's scope), checked before the route reads its body.
 * A publishable key reaches only routes declared `publishable`; it needs no read scope there, as
 * the scan lookup limits it to the scans it created.
 */
export function authorize(route: Pick<RouteDef, "auth" | "scope" | "publishable">): MiddlewareHandler<AppEnv> {
  return async function authorizeMiddleware(c, next) {
    const caller = c.get("caller");
    if (route.auth === "admin") requireAdmin(c);
    else if (isPublishable(caller)) {
      if (!route.publishable) throw new ApiError("forbidden", "A publishable key may only create scans and read the scans it created.");
      if (route.scope !== "scans:read") requireScope(c, route.scope!);
    } else if (route.scope) requireScope(c, route.scope);
    await next();
  };
}

/** Constant-time comparison of two strings (hashing first equalises their lengths). */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [ha, hb] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}
