/** GET /v1/webhooks/{id} — one endpoint: URL, events, enabled or disabled and why, failure streak. */
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { WEBHOOK_EXAMPLE, WEBHOOK_NOT_FOUND, WebhookParams, webhookOr404, WebhookView, webhookView } from "./webhook-lookup";
import { defineRoute } from "./route";

export const webhooksGet = defineRoute({
  method: "get",
  path: "/v1/webhooks/{id}",
  operationId: "getWebhook",
  summary: "Get a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: {
    200: { description: "The endpoint (no secret)", schema: WebhookView, example: WEBHOOK_EXAMPLE },
    404: WEBHOOK_NOT_FOUND,
  },
  async handler(c) {
    const caller = projectCaller(c);
    return c.json(webhookView(await webhookOr404(database(c.env.DB), caller.projectId, c.req.param("id") ?? "")));
  },
});
