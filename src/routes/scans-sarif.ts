/** GET /v1/scans/{id}/sarif — the scan as SARIF 2.1.0, ready for GitHub code scanning upload. */
import { z } from "zod";
import { database, type Db } from "../db/client";
import { listFindings, rowToFinding, type FindingDetails, type ScanRow } from "../db/scan-queries";
import { toSarif, SARIF_LIMITS } from "../engine/report/sarif";
import { maskCardNumbers } from "../engine/mask";
import type { Fix, Notification } from "../engine/types";
import { getFindingObject } from "../storage/objects";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { ScanParams, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

/** The outline of a SARIF log; the full schema is OASIS's (sarif-schema-2.1.0.json). */
const SarifLog = z
  .looseObject({
    $schema: z.string(),
    version: z.literal("2.1.0"),
    runs: z.array(z.looseObject({ tool: z.looseObject({ driver: z.looseObject({ name: z.string() }) }) })),
  })
  .meta({ id: "SarifLog", description: "A SARIF 2.1.0 log (OASIS), one run, with GitHub code scanning's fingerprints and security-severity" });

export const scansSarif = defineRoute({
  method: "get",
  path: "/v1/scans/{id}/sarif",
  operationId: "getScanSarif",
  summary: "Get a scan as SARIF 2.1.0",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { params: ScanParams },
  responses: {
    200: {
      description: "SARIF log",
      schema: SarifLog,
      contentType: "application/sarif+json",
      example: {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{ tool: { driver: { name: "pci-auditor", version: "0.1.0", rules: [] } }, results: [] }],
      },
    },
    404: { description: "No such scan", example: problemExample("not_found", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c/sarif", "No such scan.") },
    409: {
      description: "The scan has not completed",
      example: problemExample("conflict", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c/sarif", "The scan is queued; SARIF is available once it completes.", {
        scanStatus: "queued",
      }),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const scan = await scanOr404(db, caller, c.req.param("id") ?? "");
    c.header("content-type", "application/sarif+json");
    return c.body(await sarifLog(db, c.env.PROOFS, scan, c.req.url));
  },
});

/**
 * A completed scan's SARIF log, serialised (the dashboard's download serves the same); 409 before
 * it completes. Fixes too large for their row are read back from R2, so every proven fix is in `fixes`.
 */
export async function sarifLog(db: Db, bucket: R2Bucket, scan: ScanRow, requestUrl: string): Promise<string> {
  if (scan.status !== "completed")
    throw new ApiError("conflict", `The scan is ${scan.status}; SARIF is available once it completes.`, { scanStatus: scan.status });
  const rows = await listFindings(db, scan.id, { limit: SARIF_LIMITS.resultsPerRun });
  const findings = await Promise.all(
    rows.map(async (row) => {
      const finding = rowToFinding(row);
      const fixKey = (row.details as FindingDetails).fixKey;
      const fix = !finding.fix && fixKey ? await getFindingObject<Fix>(bucket, fixKey) : null;
      return fix ? { ...finding, fix } : finding;
    }),
  );
  const result = { engineVersion: scan.engineVersion, findings, notifications: scan.notifications as Notification[] };
  // The API's own reference pages describe every rule this log cites (the host passes the masker like every string we answer).
  return JSON.stringify(toSarif(result, { category: "pci-auditor", informationUri: maskCardNumbers(new URL("/docs", requestUrl).href) }));
}
