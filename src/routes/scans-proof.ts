/** GET /v1/scans/{id}/findings/{findingId}/proof — a finding's attack proof, inline or from R2. */
import { z } from "zod";
import { database } from "../db/client";
import { getFinding } from "../db/scan-queries";
import { ApiError } from "../errors";
import { requireScope } from "../middleware/authenticate";
import { ProofView } from "../scans/views";
import { getProof } from "../storage/objects";
import { ScanParams, scanOr404 } from "./scan-lookup";
import type { RouteDef } from "./route";

const Params = ScanParams.extend({ findingId: z.string().regex(/^[0-9a-f]{1,64}$/) });

export const scansProof: RouteDef = {
  method: "get",
  path: "/v1/scans/{id}/findings/{findingId}/proof",
  operationId: "getFindingProof",
  summary: "Get a finding's attack proof",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  request: { params: Params },
  responses: { 200: { description: "The proof", schema: ProofView }, 404: { description: "No such scan, finding or proof" } },
  register(app) {
    app.get("/v1/scans/:id/findings/:findingId/proof", async (c) => {
      const caller = requireScope(c, "scans:read");
      const db = database(c.env.DB);
      const scan = await scanOr404(db, caller.projectId, c.req.param("id"));
      const findingId = c.req.param("findingId");
      const row = Params.shape.findingId.safeParse(findingId).success ? await getFinding(db, scan.id, findingId) : undefined;
      if (!row) throw new ApiError("not_found", "No such finding.");
      const proof = row.proof ?? (row.proofKey ? await getProof(c.env.PROOFS, row.proofKey) : null);
      if (!proof) throw new ApiError("not_found", "This finding has no proof.");
      return c.json(proof);
    });
  },
};
