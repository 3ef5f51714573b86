/** DELETE /v1/scans/{id} — removes the scan, its findings and its R2 objects (proofs, waiting upload). */
import { database } from "../db/client";
import { deleteScanRows } from "../db/scan-queries";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { deleteScanObjects } from "../storage/objects";
import { ScanParams, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

export const scansDelete = defineRoute({
  method: "delete",
  path: "/v1/scans/{id}",
  operationId: "deleteScan",
  summary: "Delete a scan and everything stored for it",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:write",
  request: { params: ScanParams },
  responses: {
    204: { description: "Deleted" },
    404: { description: "No such scan", example: problemExample("not_found", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c", "No such scan.") },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const scan = await scanOr404(db, caller.projectId, c.req.param("id") ?? "");
    await deleteScanObjects(c.env.PROOFS, scan.id);
    await deleteScanRows(db, caller.projectId, scan.id);
    return c.body(null, 204);
  },
});
