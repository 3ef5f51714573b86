/**
 * POST /v1/projects — administration: creates a project and its first API key (all scopes).
 * The key is in the response once and never again; only its hash is stored.
 */
import { z } from "zod";
import { newApiKey, newId, SCOPES } from "../auth/api-keys";
import { database } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { DisplayName } from "./display-name";
import { defineRoute } from "./route";

const Body = z
  .strictObject({
    name: DisplayName,
    keyKind: z.enum(["live", "test"]).default("live"),
    clerkOrgId: z
      .string()
      .regex(/^org_[A-Za-z0-9]{1,64}$/)
      .optional()
      .describe("Clerk organization whose members may use the project"),
  })
  .meta({ id: "ProjectRequest" });

const Created = z
  .object({
    project: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }),
    apiKey: z.object({
      id: z.string(),
      prefix: z.string(),
      scopes: z.array(z.enum(SCOPES)),
      key: z.string().describe("Shown once. Store it now: only its hash is kept."),
    }),
  })
  .meta({ id: "NewProject" });

export const projectsCreate = defineRoute({
  method: "post",
  path: "/v1/projects",
  operationId: "createProject",
  summary: "Create a project and its first API key",
  tags: ["administration"],
  auth: "admin",
  request: { body: Body, bodyExample: { name: "payments", keyKind: "live" } },
  responses: {
    201: {
      description: "Project and key created",
      schema: Created,
      headers: ["Location"],
      example: {
        project: { id: "prj_8e1d4c7b2a9f4e3d8c1b0a9f8e7d6c5b", name: "payments", createdAt: "2026-12-03T09:30:00.000Z" },
        apiKey: {
          id: "key_5d2c8a1f3b9e4c7d8a6f0e1b2c3d4e5f",
          prefix: "pca_live_Xq3v",
          scopes: ["scans:write", "scans:read", "keys:admin"],
          key: "pca_live_Xq3v…",
        },
      },
    },
  },
  async handler(c, { body }) {
    const now = Date.now();
    const projectId = newId("prj");
    const { key, row } = await newApiKey(body.keyKind, { projectId, name: "default", scopes: [...SCOPES], createdAt: now });
    const db = database(c.env.DB);
    await db.batch([
      db.insert(projects).values({ id: projectId, name: body.name, clerkOrgId: body.clerkOrgId ?? null, createdAt: now }),
      db.insert(apiKeys).values(row),
    ]);
    c.header("Location", `/v1/projects/${projectId}`);
    return c.json(
      Created.parse({
        project: { id: projectId, name: body.name, createdAt: new Date(now).toISOString() },
        apiKey: { id: row.id, prefix: row.prefix, scopes: row.scopes, key },
      }),
      201,
    );
  },
});
