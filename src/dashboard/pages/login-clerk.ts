/**
 * GET /dashboard/login/clerk — where Clerk's sign-in returns the browser. Clerk has set its
 * `__session` cookie (a short-lived session JWT) on this site; it is verified as every Clerk token
 * is (src/auth/clerk.ts), and its organization must own a project. The browser then gets a
 * dashboard session for that project alone, so pages do not depend on Clerk's one-minute tokens
 * being refreshed by Clerk's script, which this dashboard's CSP does not run.
 */
import { eq } from "drizzle-orm";
import { getCookie } from "hono/cookie";
import { verifyClerkSession } from "../../auth/clerk";
import { database } from "../../db/client";
import { projects } from "../../db/schema";
import { ApiError } from "../../errors";
import { definePage } from "../page";
import { startSession } from "../sessions";

export const loginClerk = definePage({
  method: "get",
  path: "/dashboard/login/clerk",
  summary: "Sign in with a Clerk session",
  auth: "none",
  async handler(c) {
    const token = getCookie(c, "__session");
    const clerk = token ? await verifyClerkSession(token, c.env) : null;
    if (!clerk) throw new ApiError("unauthorized", "No valid Clerk session: sign in again.");
    const db = database(c.env.DB);
    const project = clerk.orgId ? await db.select({ id: projects.id }).from(projects).where(eq(projects.clerkOrgId, clerk.orgId)).get() : undefined;
    if (!project) throw new ApiError("forbidden", "Your Clerk organization has no project here: ask an operator to create one for it.");
    await startSession(c, db, { projectId: project.id, subject: clerk.userId });
    return c.redirect("/dashboard", 303);
  },
});
