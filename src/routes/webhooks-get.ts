/** GET /v1/webhooks/{id} — one endpoint: URL, events, enabled or disabled and why, failure streak. */
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { WebhookParams, webhookOr404, WebhookView, webhookView } from "./webhook-lookup";
import type { RouteDef } from "./route";

export const webhooksGet: RouteDef = {
  method: "get",
  path: "/v1/webhooks/{id}",
  operationId: "getWebhook",
  summary: "Get a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: { 200: { description: "The endpoint (no secret)", schema: WebhookView }, 403: { description: "Missing webhooks:admin" }, 404: { description: "No such endpoint in this project" } },
  register(app) {
    app.get("/v1/webhooks/:id", async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      return c.json(webhookView(await webhookOr404(database(c.env.DB), caller.projectId, c.req.param("id"))));
    });
  },
};
