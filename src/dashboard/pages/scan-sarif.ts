/** GET /dashboard/projects/{projectId}/scans/{scanId}/sarif — the scan's SARIF 2.1.0 log as a download (the API's log, unchanged). */
import { database } from "../../db/client";
import { sarifLog } from "../../routes/scans-sarif";
import { definePage } from "../page";
import { pageProject, pageScan } from "../project-access";

export const scanSarifPage = definePage({
  method: "get",
  path: "/dashboard/projects/{projectId}/scans/{scanId}/sarif",
  summary: "Download a scan's SARIF",
  auth: "session",
  async handler(c) {
    const db = database(c.env.DB);
    const project = await pageProject(c, db);
    const scan = await pageScan(c, db, project);
    return c.body(await sarifLog(db, c.env.PROOFS, scan, c.req.url), 200, {
      "content-type": "application/sarif+json",
      "content-disposition": `attachment; filename="${scan.id}.sarif"`,
    });
  },
});
