/** GET /v1/scans/{id} — status, summary by severity and PCI DSS requirement, and findings. */
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { ScanView } from "../scans/views";
import { fullScanView, ScanParams, scanOr404 } from "./scan-lookup";
import type { RouteDef } from "./route";

export const scansGet: RouteDef = {
  method: "get",
  path: "/v1/scans/{id}",
  operationId: "getScan",
  summary: "Get a scan",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { params: ScanParams },
  responses: { 200: { description: "The scan", schema: ScanView }, 401: { description: "No key" }, 403: { description: "Missing scope" }, 404: { description: "No such scan in this project" } },
  register(app) {
    app.get("/v1/scans/:id", async (c) => {
      const caller = requireScope(c, "scans:read");
      const db = database(c.env.DB);
      const row = await scanOr404(db, caller.projectId, c.req.param("id"));
      if (row.status === "queued" || row.status === "running") c.header("Retry-After", "2");
      return c.json(await fullScanView(db, row));
    });
  },
};
