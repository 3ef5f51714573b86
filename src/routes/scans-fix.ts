/**
 * GET /v1/scans/{id}/findings/{findingId}/fix — the verified patch of an injection finding, inline
 * or from R2, or a 404 that says why there is none (the engine's reason, or that the finding is
 * not an injection), so a CI step can tell "nothing to apply" from "fix this by hand".
 */
import { database } from "../db/client";
import type { FindingDetails } from "../db/scan-queries";
import { MAX_FIXES_PER_SCAN } from "../engine/fixes/index";
import type { Fix } from "../engine/types";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { FIX_EXAMPLE, FixView } from "../scans/views";
import { getFindingObject } from "../storage/objects";
import { FindingParams, findingOr404, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

/** Why a finding stored without a fix has none: the problem's detail. */
function noFix(d: FindingDetails): ApiError {
  if (d.fixUnavailable) return new ApiError("not_found", `This finding has no fix: ${d.fixUnavailable}.`, { fixUnavailable: d.fixUnavailable });
  if (d.category !== "injection") return new ApiError("not_found", "This is not an injection finding: fixes are proposed for injection findings only.");
  return new ApiError(
    "not_found",
    `No fix was proposed for this finding: a scan proposes fixes for its first ${MAX_FIXES_PER_SCAN} injection findings whose attack it could simulate.`,
  );
}

export const scansFix = defineRoute({
  method: "get",
  path: "/v1/scans/{id}/findings/{findingId}/fix",
  operationId: "getFindingFix",
  summary: "Get an injection finding's verified fix",
  description:
    "The patch as a unified diff and as SARIF-ready replacements, with its verdict: `proven` when re-running the dataflow and the attack on the patched code showed the injection gone and benign input unchanged. Card numbers and secrets in the patched lines are masked as in snippets.",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  publishable: true,
  request: { params: FindingParams },
  responses: {
    200: { description: "The fix", schema: FixView, example: FIX_EXAMPLE },
    404: {
      description: "No such scan or finding, or the finding has no fix (`detail` says why; `fixUnavailable` carries the engine's reason when it gave one)",
      example: problemExample(
        "not_found",
        "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c/findings/ad22c18455be4f96cf3c/fix",
        "This finding has no fix: no mechanical fix for `db.query()`: the client, and so its placeholder style, is not known.",
        { fixUnavailable: "no mechanical fix for `db.query()`: the client, and so its placeholder style, is not known" },
      ),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const scan = await scanOr404(db, caller, c.req.param("id") ?? "");
    const row = await findingOr404(db, scan, c.req.param("findingId") ?? "");
    const details = row.details as FindingDetails;
    const fix = details.fix ?? (details.fixKey ? await getFindingObject<Fix>(c.env.PROOFS, details.fixKey) : null);
    if (!fix) throw noFix(details);
    return c.json(fix);
  },
});
