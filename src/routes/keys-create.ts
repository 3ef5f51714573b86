/** POST /v1/keys — a new API key for the caller's project (scope keys:admin); the key is shown once. */
import { z } from "zod";
import { newApiKey, SCOPES } from "../auth/api-keys";
import { database } from "../db/client";
import { apiKeys } from "../db/schema";
import { projectCaller } from "../middleware/authenticate";
import { KEY_EXAMPLE, KeyView, keyView } from "./key-view";
import { DisplayName } from "./display-name";
import { defineRoute } from "./route";

const CreateBody = z
  .strictObject({
    name: DisplayName,
    scopes: z.array(z.enum(SCOPES)).min(1).default(["scans:write", "scans:read"]),
    kind: z.enum(["live", "test"]).default("live"),
  })
  .meta({ id: "KeyRequest" });
const Created = KeyView.extend({ key: z.string().describe("Shown once; only its hash is stored") }).meta({ id: "NewKey" });

export const keysCreate = defineRoute({
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  summary: "Create an API key for this project",
  tags: ["keys"],
  auth: "apiKey",
  scope: "keys:admin",
  request: { body: CreateBody, bodyExample: { name: "ci", scopes: ["scans:write", "scans:read"] } },
  responses: {
    201: {
      description: "The new key, shown once",
      schema: Created,
      headers: ["Location"],
      example: { ...KEY_EXAMPLE, lastUsedAt: null, createdAt: "2026-12-03T09:30:00.000Z", key: "pca_live_Xq3v…" },
    },
  },
  async handler(c, { body }) {
    const caller = projectCaller(c);
    const { key, row } = await newApiKey(body.kind, { projectId: caller.projectId, name: body.name, scopes: [...new Set(body.scopes)], createdAt: Date.now() });
    await database(c.env.DB).insert(apiKeys).values(row);
    c.header("Location", `/v1/keys/${row.id}`);
    return c.json({ ...keyView({ ...row, lastUsedAt: null, revokedAt: null }), key }, 201);
  },
});
