/**
 * PATCH /v1/webhooks/{id} — changes the URL, events or description, and enables or disables the
 * endpoint. `enabled: true` is how an endpoint disabled after failing is turned back on; disabling
 * gives up its pending deliveries (they stay in the log and can be redelivered).
 */
import { z } from "zod";
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { jsonBody } from "../middleware/json-body";
import { giveUpPending } from "../webhooks/deliveries";
import { updateEndpoint } from "../webhooks/endpoints";
import { WebhookFields, WebhookParams, webhookOr404, WebhookView, webhookView } from "./webhook-lookup";
import type { RouteDef } from "./route";

const PatchBody = z
  .strictObject({ url: WebhookFields.url, events: WebhookFields.events, description: WebhookFields.description, enabled: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "send at least one of url, events, description, enabled");

export const webhooksUpdate: RouteDef = {
  method: "patch",
  path: "/v1/webhooks/{id}",
  operationId: "updateWebhook",
  summary: "Update, enable or disable a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams, body: PatchBody },
  responses: { 200: { description: "The endpoint after the change", schema: WebhookView }, 400: { description: "Invalid body" }, 403: { description: "Missing webhooks:admin" }, 404: { description: "No such endpoint in this project" } },
  register(app) {
    app.patch("/v1/webhooks/:id", jsonBody(PatchBody), async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const body = c.get("body") as z.infer<typeof PatchBody>;
      const db = database(c.env.DB);
      const row = await webhookOr404(db, caller.projectId, c.req.param("id"));
      const updated = await updateEndpoint(db, row, { ...body, ...(body.events ? { events: [...new Set(body.events)] } : {}) });
      if (updated.status === "disabled") await giveUpPending(db, updated.id, "endpoint_disabled");
      return c.json(webhookView(updated));
    });
  },
};
