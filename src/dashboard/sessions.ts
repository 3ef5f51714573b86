/**
 * Dashboard sign-in state, owned here: one-time login links and browser sessions. Both are random
 * tokens of which D1 keeps only the SHA-256, so a database read gives nobody a way in. A login
 * link (minted with the admin token; `npm start` prints one) is deleted as it is redeemed, so it
 * works once, and only for LOGIN_LINK_TTL_MS. A session lasts SESSION_TTL_MS from sign-in and ends
 * at sign-out. Its CSRF token is derived from the session token, so forms need no stored secret
 * and a page cannot be forged without the HttpOnly cookie.
 */
import { and, eq, gt, lt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client";
import { dashboardLoginTokens, dashboardSessions } from "../db/schema";
import type { AppEnv } from "../env";
import { sha256Hex } from "../scans/submission";

export const LOGIN_LINK_TTL_MS = 10 * 60 * 1000;
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** `__Host-`: the browser keeps it only if Secure, Path=/ and host-only, so no subdomain can plant or read it. */
export const SESSION_COOKIE = "__Host-pca_session";

export interface DashboardSession {
  /** The one project this session may see; null: every project (an operator). */
  projectId: string | null;
  subject: string;
  expiresAt: number;
  /** The token every form of this session carries (the CSRF check compares it). */
  csrfToken: string;
}

/** 32 random bytes, base64url: a login-link or session token. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new one-time login token (stored hashed) and when it stops working. */
export async function mintLoginToken(db: Db, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const expiresAt = now + LOGIN_LINK_TTL_MS;
  await db.insert(dashboardLoginTokens).values({ hash: await sha256Hex(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** Spends a login token: true once for a live token, false when unknown, expired or already used. */
export async function redeemLoginToken(db: Db, token: string, now = Date.now()): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  const spent = await db
    .delete(dashboardLoginTokens)
    .where(eq(dashboardLoginTokens.hash, await sha256Hex(token)))
    .returning({ expiresAt: dashboardLoginTokens.expiresAt });
  // Links nobody used: gone once expired, so the table stays the size of the links in flight.
  await db.delete(dashboardLoginTokens).where(lt(dashboardLoginTokens.expiresAt, now));
  return spent.length === 1 && spent[0]!.expiresAt > now;
}

const csrfTokenOf = async (sessionToken: string) => sha256Hex(`csrf:${sessionToken}`);

/** Signs the browser in: a session row and its cookie (Secure, HttpOnly, SameSite=Lax, host-only). */
export async function startSession(c: Context<AppEnv>, db: Db, who: { projectId: string | null; subject: string }, now = Date.now()): Promise<void> {
  const token = newToken();
  const expiresAt = now + SESSION_TTL_MS;
  await db.delete(dashboardSessions).where(lt(dashboardSessions.expiresAt, now));
  await db.insert(dashboardSessions).values({ hash: await sha256Hex(token), projectId: who.projectId, subject: who.subject, createdAt: now, expiresAt });
  setCookie(c, SESSION_COOKIE, token, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: SESSION_TTL_MS / 1000 });
}

/** The browser's live session, or null (no cookie, unknown, expired or signed out). */
export async function currentSession(c: Context<AppEnv>, db: Db, now = Date.now()): Promise<DashboardSession | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .select()
    .from(dashboardSessions)
    .where(and(eq(dashboardSessions.hash, await sha256Hex(token)), gt(dashboardSessions.expiresAt, now)))
    .get();
  return row ? { projectId: row.projectId, subject: row.subject, expiresAt: row.expiresAt, csrfToken: await csrfTokenOf(token) } : null;
}

/** Signs the browser out: the session row goes, and the cookie with it. */
export async function endSession(c: Context<AppEnv>, db: Db): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token && TOKEN_SHAPE.test(token)) await db.delete(dashboardSessions).where(eq(dashboardSessions.hash, await sha256Hex(token)));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}
