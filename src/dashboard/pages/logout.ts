/** POST /dashboard/logout — ends the session (its row and its cookie). */
import { database } from "../../db/client";
import { definePage } from "../page";
import { endSession } from "../sessions";

export const logout = definePage({
  method: "post",
  path: "/dashboard/logout",
  summary: "Sign out",
  auth: "session",
  async handler(c) {
    await endSession(c, database(c.env.DB));
    return c.redirect("/dashboard/login", 303);
  },
});
