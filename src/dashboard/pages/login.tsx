/**
 * GET /dashboard/login — where a browser without a session lands. In production it sends people to
 * Clerk's sign-in (CLERK_SIGN_IN_URL), which returns them to /dashboard/login/clerk; locally, the
 * one-time link `npm start` prints signs the browser in directly.
 */
import { database } from "../../db/client";
import { Layout } from "../layout";
import { definePage } from "../page";
import { renderPage } from "../render";
import { currentSession } from "../sessions";

export const login = definePage({
  method: "get",
  path: "/dashboard/login",
  summary: "Sign in",
  auth: "none",
  async handler(c) {
    if (await currentSession(c, database(c.env.DB))) return c.redirect("/dashboard", 303);
    const signIn = c.env.CLERK_SIGN_IN_URL && c.env.CLERK_JWKS_URL ? new URL(c.env.CLERK_SIGN_IN_URL) : null;
    signIn?.searchParams.set("redirect_url", new URL("/dashboard/login/clerk", c.req.url).href);
    return renderPage(
      c,
      <Layout title="Sign in">
        {signIn ? (
          <p>
            <a href={signIn.href}>Sign in with your organization (Clerk)</a>
          </p>
        ) : (
          <p>Clerk sign-in is not configured on this deployment.</p>
        )}
        <p class="muted">
          Running locally? <code>npm start</code> prints a one-time login link beside the development API key; it works once, for ten minutes.
        </p>
      </Layout>,
    );
  },
});
