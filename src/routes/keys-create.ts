/**
 * POST /v1/keys — a new API key for the caller's project (scope keys:admin); the key is shown
 * once. `kind: "publishable"` makes a `pca_pub_` key for web pages: it needs `allowedOrigins`,
 * holds scans:write only, and reads back only the scans it created (auth/publishable-keys.ts).
 */
import { z } from "zod";
import { newApiKey, SCOPES } from "../auth/api-keys";
import { AllowedOrigins, PUBLISHABLE_SCOPES } from "../auth/publishable-keys";
import { database, type Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { projectCaller } from "../middleware/authenticate";
import { KEY_EXAMPLE, KeyView, keyView } from "./key-view";
import { DisplayName } from "./display-name";
import { defineRoute } from "./route";

/** What a new key may be (the dashboard's key form is checked against the same schema). */
export const KeyRequest = z
  .strictObject({
    name: DisplayName,
    scopes: z.array(z.enum(SCOPES)).min(1).optional().describe("Default scans:write and scans:read; a publishable key holds scans:write only"),
    kind: z.enum(["live", "test", "publishable"]).default("live"),
    allowedOrigins: AllowedOrigins.optional().describe(
      "Required for a publishable key, refused for others: the exact origins (https://host[:port]) of the pages that embed it",
    ),
  })
  .superRefine((b, ctx) => {
    if (b.kind === "publishable" && !b.allowedOrigins)
      ctx.addIssue({ code: "custom", path: ["allowedOrigins"], message: "a publishable key needs the origins it may be used from" });
    if (b.kind !== "publishable" && b.allowedOrigins)
      ctx.addIssue({ code: "custom", path: ["allowedOrigins"], message: "only publishable keys are bound to origins" });
    if (b.kind === "publishable" && b.scopes?.some((s) => !(PUBLISHABLE_SCOPES as readonly string[]).includes(s)))
      ctx.addIssue({ code: "custom", path: ["scopes"], message: "a publishable key holds scans:write only" });
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
  request: { body: KeyRequest, bodyExample: { name: "developer portal widget", kind: "publishable", allowedOrigins: ["https://developers.example.com"] } },
  responses: {
    201: {
      description: "The new key, shown once",
      schema: Created,
      headers: ["Location"],
      example: {
        ...KEY_EXAMPLE,
        prefix: "pca_pub_Kd9w",
        scopes: ["scans:write"],
        kind: "publishable",
        allowedOrigins: ["https://developers.example.com"],
        lastUsedAt: null,
        createdAt: "2026-12-03T09:30:00.000Z",
        key: "pca_pub_Kd9w…",
      },
    },
  },
  async handler(c, { body }) {
    const caller = projectCaller(c);
    const { key, row } = await createKey(database(c.env.DB), caller.projectId, body);
    c.header("Location", `/v1/keys/${row.id}`);
    return c.json({ ...keyView({ ...row, lastUsedAt: null, revokedAt: null }), key }, 201);
  },
});

/** Stores a new key of the project as requested (default scopes by kind); the key, shown once, and its row. */
export async function createKey(db: Db, projectId: string, body: z.output<typeof KeyRequest>): Promise<Awaited<ReturnType<typeof newApiKey>>> {
  const scopes = body.scopes ?? (body.kind === "publishable" ? [...PUBLISHABLE_SCOPES] : ["scans:write", "scans:read"]);
  const created = await newApiKey(body.kind, {
    projectId,
    name: body.name,
    scopes: [...new Set(scopes)],
    createdAt: Date.now(),
    allowedOrigins: body.allowedOrigins,
  });
  await db.insert(apiKeys).values(created.row);
  return created;
}
