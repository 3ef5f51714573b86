/**
 * PATCH /v1/webhooks/{id} — changes the URL, events or description, and enables or disables the
 * endpoint. `enabled: true` is how an endpoint disabled after failing is turned back on; disabling
 * gives up its pending deliveries (they stay in the log and can be redelivered).
 */
import { z } from "zod";
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { giveUpPending } from "../webhooks/deliveries";
import { updateEndpoint } from "../webhooks/endpoints";
import { WEBHOOK_EXAMPLE, WEBHOOK_NOT_FOUND, WebhookFields, WebhookParams, webhookOr404, WebhookView, webhookView } from "./webhook-lookup";
import { defineRoute } from "./route";

const PatchBody = z
  .strictObject({ url: WebhookFields.url, events: WebhookFields.events, description: WebhookFields.description, enabled: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "send at least one of url, events, description, enabled")
  .meta({ id: "WebhookUpdate" });

export const webhooksUpdate = defineRoute({
  method: "patch",
  path: "/v1/webhooks/{id}",
  operationId: "updateWebhook",
  summary: "Update, enable or disable a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams, body: PatchBody, bodyExample: { enabled: true } },
  responses: {
    200: { description: "The endpoint after the change", schema: WebhookView, example: WEBHOOK_EXAMPLE },
    404: WEBHOOK_NOT_FOUND,
  },
  async handler(c, { body }) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const row = await webhookOr404(db, caller.projectId, c.req.param("id") ?? "");
    const updated = await updateEndpoint(db, row, { ...body, ...(body.events ? { events: [...new Set(body.events)] } : {}) });
    if (updated.status === "disabled") await giveUpPending(db, updated.id, "endpoint_disabled");
    return c.json(webhookView(updated));
  },
});
