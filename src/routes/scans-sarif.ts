/** GET /v1/scans/{id}/sarif — the scan as SARIF 2.1.0, ready for GitHub code scanning upload. */
import { database } from "../db/client";
import { listFindings, rowToFinding } from "../db/scan-queries";
import { toSarif, SARIF_LIMITS } from "../engine/report/sarif";
import { maskCardNumbers } from "../engine/mask";
import type { Notification } from "../engine/types";
import { ApiError } from "../errors";
import { requireScope } from "../middleware/authenticate";
import { ScanParams, scanOr404 } from "./scan-lookup";
import type { RouteDef } from "./route";

export const scansSarif: RouteDef = {
  method: "get",
  path: "/v1/scans/{id}/sarif",
  operationId: "getScanSarif",
  summary: "Get a scan as SARIF 2.1.0",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { params: ScanParams },
  responses: { 200: { description: "SARIF log", contentType: "application/sarif+json" }, 404: { description: "No such scan" }, 409: { description: "The scan has not completed" } },
  register(app) {
    app.get("/v1/scans/:id/sarif", async (c) => {
      const caller = requireScope(c, "scans:read");
      const db = database(c.env.DB);
      const scan = await scanOr404(db, caller.projectId, c.req.param("id"));
      if (scan.status !== "completed") throw new ApiError("conflict", `The scan is ${scan.status}; SARIF is available once it completes.`, { status: scan.status });
      const rows = await listFindings(db, scan.id, { limit: SARIF_LIMITS.resultsPerRun });
      const result = { engineVersion: scan.engineVersion, findings: rows.map(rowToFinding), notifications: scan.notifications as Notification[] };
      c.header("content-type", "application/sarif+json");
      // The API's own reference pages describe every rule this log cites (the host passes the masker like every string we answer).
      return c.body(JSON.stringify(toSarif(result, { category: "pci-auditor", informationUri: maskCardNumbers(new URL("/docs", c.req.url).href) })));
    });
  },
};
