/**
 * POST /v1/projects — administration: creates a project and its first API key (all scopes).
 * The key is in the response once and never again; only its hash is stored.
 */
import { z } from "zod";
import { newApiKey, newId, SCOPES } from "../auth/api-keys";
import { database } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { jsonBody } from "../middleware/json-body";
import { DisplayName } from "./display-name";
import type { RouteDef } from "./route";

const Body = z.strictObject({
  name: DisplayName,
  keyKind: z.enum(["live", "test"]).default("live"),
  clerkOrgId: z.string().regex(/^org_[A-Za-z0-9]{1,64}$/).optional().describe("Clerk organization whose members may use the project"),
});

const Created = z.object({
  project: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }),
  apiKey: z.object({
    id: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    key: z.string().describe("Shown once. Store it now: only its hash is kept."),
  }),
});

export const projectsCreate: RouteDef = {
  method: "post",
  path: "/v1/projects",
  operationId: "createProject",
  summary: "Create a project and its first API key",
  tags: ["administration"],
  auth: "admin",
  request: { body: Body },
  responses: {
    201: { description: "Project and key created", schema: Created },
    400: { description: "Invalid body" },
    401: { description: "Missing or wrong admin token" },
    413: { description: "Body too large" },
    415: { description: "Not JSON" },
  },
  register(app) {
    app.post("/v1/projects", jsonBody(Body), async (c) => {
      const body = c.get("body") as z.infer<typeof Body>;
      const now = Date.now();
      const projectId = newId("prj");
      const { key, row } = await newApiKey(body.keyKind, { projectId, name: "default", scopes: [...SCOPES], createdAt: now });
      const db = database(c.env.DB);
      await db.batch([db.insert(projects).values({ id: projectId, name: body.name, clerkOrgId: body.clerkOrgId ?? null, createdAt: now }), db.insert(apiKeys).values(row)]);
      c.header("Location", `/v1/projects/${projectId}`);
      return c.json(
        Created.parse({
          project: { id: projectId, name: body.name, createdAt: new Date(now).toISOString() },
          apiKey: { id: row.id, prefix: row.prefix, scopes: row.scopes, key },
        }),
        201,
      );
    });
  },
};
