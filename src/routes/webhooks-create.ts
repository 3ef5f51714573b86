/** POST /v1/webhooks — registers an endpoint for scan events; its whsec_ signing secret is shown once. */
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { database, type Db } from "../db/client";
import { webhookEndpoints } from "../db/schema";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { createEndpoint } from "../webhooks/endpoints";
import { SUBSCRIBABLE_EVENTS } from "../webhooks/events";
import { SECRET_EXAMPLE, WEBHOOK_EXAMPLE, WebhookFields, webhookView, WebhookWithSecret } from "./webhook-lookup";
import { defineRoute } from "./route";

/** Endpoints per project: each event fans out to every one of them. */
export const MAX_WEBHOOKS_PER_PROJECT = 20;

/** What a new endpoint may be (the dashboard's webhook form is checked against the same schema). */
export const WebhookRequest = z
  .strictObject({
    url: WebhookFields.url,
    events: WebhookFields.events.default([...SUBSCRIBABLE_EVENTS]),
    description: WebhookFields.description.optional(),
  })
  .meta({ id: "WebhookRequest" });

export const webhooksCreate = defineRoute({
  method: "post",
  path: "/v1/webhooks",
  operationId: "createWebhook",
  summary: "Register a webhook endpoint",
  description:
    "Deliveries are signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature) with the returned secret, which is shown only here. The URL must be https to a public host.",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: {
    body: WebhookRequest,
    bodyExample: { url: "https://ci.example.com/pci-auditor", events: ["scan.completed", "scan.failed"], description: "CI notifier" },
  },
  responses: {
    201: {
      description: "The endpoint and its secret, shown once",
      schema: WebhookWithSecret,
      headers: ["Location"],
      example: { ...WEBHOOK_EXAMPLE, secret: SECRET_EXAMPLE },
    },
    422: {
      description: "The project already has the most endpoints allowed",
      example: problemExample("unprocessable", "/v1/webhooks", `A project may have at most ${MAX_WEBHOOKS_PER_PROJECT} webhook endpoints.`),
    },
    503: {
      description: "Webhooks are not configured on this deployment (WEBHOOK_SECRET_KEY)",
      example: problemExample("unavailable", "/v1/webhooks", "Webhooks are not configured on this deployment (WEBHOOK_SECRET_KEY)."),
    },
  },
  async handler(c, { body }) {
    const caller = projectCaller(c);
    const { row, secret } = await registerWebhook(c.env, database(c.env.DB), caller.projectId, body);
    c.header("Location", `/v1/webhooks/${row.id}`);
    return c.json({ ...webhookView(row), secret }, 201);
  },
});

/** Registers an endpoint of the project as requested (422 past MAX_WEBHOOKS_PER_PROJECT); its secret is returned once. */
export async function registerWebhook(
  env: Env,
  db: Db,
  projectId: string,
  body: z.output<typeof WebhookRequest>,
): Promise<Awaited<ReturnType<typeof createEndpoint>>> {
  const existing = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.projectId, projectId)).get();
  if ((existing?.n ?? 0) >= MAX_WEBHOOKS_PER_PROJECT)
    throw new ApiError("unprocessable", `A project may have at most ${MAX_WEBHOOKS_PER_PROJECT} webhook endpoints.`);
  return createEndpoint(env, db, projectId, { url: body.url, events: [...new Set(body.events)], description: body.description ?? null });
}
