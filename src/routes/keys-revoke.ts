/** DELETE /v1/keys/{keyId} — revokes one of the caller's project's keys (it stops working at once). */
import { z } from "zod";
import { database } from "../db/client";
import { revokeKey } from "../db/key-queries";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { defineRoute } from "./route";

const KeyParams = z.object({ keyId: z.string().regex(/^key_[0-9a-f]{32}$/) });

export const keysRevoke = defineRoute({
  method: "delete",
  path: "/v1/keys/{keyId}",
  operationId: "revokeKey",
  summary: "Revoke an API key",
  tags: ["keys"],
  auth: "apiKey",
  scope: "keys:admin",
  request: { params: KeyParams },
  responses: {
    204: { description: "Revoked" },
    404: {
      description: "No such active key in this project",
      example: problemExample("not_found", "/v1/keys/key_5d2c8a1f3b9e4c7d8a6f0e1b2c3d4e5f", "No such active key."),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const keyId = c.req.param("keyId") ?? "";
    const done = KeyParams.safeParse({ keyId }).success && (await revokeKey(database(c.env.DB), caller.projectId, keyId));
    if (!done) throw new ApiError("not_found", "No such active key.");
    return c.body(null, 204);
  },
});
