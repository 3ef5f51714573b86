/**
 * GET /dashboard/login/link?token=… — a one-time login link (minted by POST /v1/dashboard/login-links
 * with the admin token; `npm start` prints one) signs the browser in as the operator, who sees
 * every project. An unknown, expired or already used link is refused.
 */
import { database } from "../../db/client";
import { ApiError } from "../../errors";
import { definePage } from "../page";
import { redeemLoginToken, startSession } from "../sessions";

export const loginLink = definePage({
  method: "get",
  path: "/dashboard/login/link",
  summary: "Sign in with a one-time login link",
  auth: "none",
  async handler(c) {
    const db = database(c.env.DB);
    if (!(await redeemLoginToken(db, c.req.query("token") ?? "")))
      throw new ApiError("unauthorized", "This login link is invalid, expired or already used. Ask for a new one.");
    await startSession(c, db, { projectId: null, subject: "operator" });
    return c.redirect("/dashboard", 303);
  },
});
