/** GET /v1/scans/{id}/findings/{findingId}/proof — a finding's attack proof, inline or from R2. */
import { database } from "../db/client";
import type { Proof } from "../engine/types";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { PROOF_EXAMPLE, ProofView } from "../scans/views";
import { getFindingObject } from "../storage/objects";
import { FindingParams, findingOr404, scanOr404 } from "./scan-lookup";
import { defineRoute } from "./route";

export const scansProof = defineRoute({
  method: "get",
  path: "/v1/scans/{id}/findings/{findingId}/proof",
  operationId: "getFindingProof",
  summary: "Get a finding's attack proof",
  tags: ["scans"],
  auth: "apiKey",
  scope: "scans:read",
  publishable: true,
  request: { params: FindingParams },
  responses: {
    200: { description: "The proof", schema: ProofView, example: PROOF_EXAMPLE },
    404: {
      description: "No such scan, finding or proof",
      example: problemExample("not_found", "/v1/scans/scn_0f3a9c2b7d1e4f5a8b6c9d0e1f2a3b4c/findings/ad22c18455be4f96cf3c/proof", "This finding has no proof."),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const scan = await scanOr404(db, caller, c.req.param("id") ?? "");
    const row = await findingOr404(db, scan, c.req.param("findingId") ?? "");
    const proof = row.proof ?? (row.proofKey ? await getFindingObject<Proof>(c.env.PROOFS, row.proofKey) : null);
    if (!proof) throw new ApiError("not_found", "This finding has no proof.");
    return c.json(proof);
  },
});
