/** POST /v1/keys — a new API key for the caller's project (scope keys:admin); the key is shown once. */
import { z } from "zod";
import { newApiKey, SCOPES } from "../auth/api-keys";
import { database } from "../db/client";
import { apiKeys } from "../db/schema";
import { requireScope } from "../middleware/authenticate";
import { jsonBody } from "../middleware/json-body";
import { KeyView, keyView } from "./key-view";
import { DisplayName } from "./display-name";
import type { RouteDef } from "./route";

const CreateBody = z.strictObject({
  name: DisplayName,
  scopes: z.array(z.enum(SCOPES)).min(1).default(["scans:write", "scans:read"]),
  kind: z.enum(["live", "test"]).default("live"),
});
const Created = KeyView.extend({ key: z.string().describe("Shown once; only its hash is stored") });

export const keysCreate: RouteDef = {
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  summary: "Create an API key for this project",
  tags: ["keys"],
  auth: "apiKey",
  scope: "keys:admin",
  request: { body: CreateBody },
  responses: { 201: { description: "The new key, shown once", schema: Created }, 400: { description: "Invalid body" }, 403: { description: "Missing keys:admin" } },
  register(app) {
    app.post("/v1/keys", jsonBody(CreateBody), async (c) => {
      const caller = requireScope(c, "keys:admin");
      const body = c.get("body") as z.infer<typeof CreateBody>;
      const { key, row } = await newApiKey(body.kind, { projectId: caller.projectId, name: body.name, scopes: [...new Set(body.scopes)], createdAt: Date.now() });
      await database(c.env.DB).insert(apiKeys).values(row);
      c.header("Location", `/v1/keys/${row.id}`);
      return c.json({ ...keyView({ ...row, lastUsedAt: null, revokedAt: null }), key }, 201);
    });
  },
};

