/** DELETE /v1/webhooks/{id} — removes the endpoint with its deliveries and their log. */
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { deleteEndpoint } from "../webhooks/endpoints";
import { WEBHOOK_NOT_FOUND, WebhookParams, webhookOr404 } from "./webhook-lookup";
import { defineRoute } from "./route";

export const webhooksDelete = defineRoute({
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  summary: "Delete a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" }, 404: WEBHOOK_NOT_FOUND },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    await deleteEndpoint(db, await webhookOr404(db, caller.projectId, c.req.param("id") ?? ""));
    return c.body(null, 204);
  },
});
