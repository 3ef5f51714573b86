/** POST /dashboard/projects/{projectId}/keys/{keyId}/revoke — revokes a key (it stops working at once), back to the keys page. */
import { database } from "../../db/client";
import { revokeKey } from "../../db/key-queries";
import { ApiError } from "../../errors";
import { definePage } from "../page";
import { pageProject } from "../project-access";

export const keysRevokePage = definePage({
  method: "post",
  path: "/dashboard/projects/{projectId}/keys/{keyId}/revoke",
  summary: "Revoke an API key",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    if (!(await revokeKey(db, project.id, c.req.param("keyId") ?? ""))) throw new ApiError("not_found", "No such active key.");
    return c.redirect(`/dashboard/projects/${project.id}/keys`, 303);
  },
});
