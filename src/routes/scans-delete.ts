/** DELETE /v1/scans/{id} — removes the scan, its findings and its R2 objects (proofs, waiting upload). */
import { database } from "../db/client";
import { deleteScanRows } from "../db/scan-queries";
import { requireScope } from "../middleware/authenticate";
import { deleteScanObjects } from "../storage/objects";
import { ScanParams, scanOr404 } from "./scan-lookup";
import type { RouteDef } from "./route";

export const scansDelete: RouteDef = {
  method: "delete",
  path: "/v1/scans/{id}",
  operationId: "deleteScan",
  summary: "Delete a scan and everything stored for it",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:write",
  request: { params: ScanParams },
  responses: { 204: { description: "Deleted" }, 404: { description: "No such scan" } },
  register(app) {
    app.delete("/v1/scans/:id", async (c) => {
      const caller = requireScope(c, "scans:write");
      const db = database(c.env.DB);
      const scan = await scanOr404(db, caller.projectId, c.req.param("id"));
      await deleteScanObjects(c.env.PROOFS, scan.id);
      await deleteScanRows(db, caller.projectId, scan.id);
      return c.body(null, 204);
    });
  },
};
