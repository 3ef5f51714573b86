/** DELETE /v1/webhooks/{id} — removes the endpoint with its deliveries and their log. */
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { deleteEndpoint } from "../webhooks/endpoints";
import { WebhookParams, webhookOr404 } from "./webhook-lookup";
import type { RouteDef } from "./route";

export const webhooksDelete: RouteDef = {
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  summary: "Delete a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted" }, 403: { description: "Missing webhooks:admin" }, 404: { description: "No such endpoint in this project" } },
  register(app) {
    app.delete("/v1/webhooks/:id", async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const db = database(c.env.DB);
      await deleteEndpoint(db, await webhookOr404(db, caller.projectId, c.req.param("id")));
      return c.body(null, 204);
    });
  },
};
