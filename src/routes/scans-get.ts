/** GET /v1/scans/{id} — status, summary by severity and PCI DSS requirement, and findings. */
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { SCAN_EXAMPLE, ScanView } from "../scans/views";
import { fullScanView, ScanParams, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

export const scansGet = defineRoute({
  method: "get",
  path: "/v1/scans/{id}",
  operationId: "getScan",
  summary: "Get a scan",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  publishable: true,
  request: { params: ScanParams },
  responses: {
    200: { description: "The scan (Retry-After while it is queued or running)", schema: ScanView, headers: ["Retry-After"], example: SCAN_EXAMPLE },
    404: {
      description: "No such scan in this project",
      example: problemExample("not_found", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c", "No such scan."),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const row = await scanOr404(db, caller, c.req.param("id") ?? "");
    if (row.status === "queued" || row.status === "running") c.header("Retry-After", "2");
    return c.json(await fullScanView(db, row));
  },
});
