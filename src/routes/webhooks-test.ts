/** POST /v1/webhooks/{id}/test — queues a signed `webhook.test` event to the endpoint; its outcome shows in the delivery log. */
import { database } from "../db/client";
import { ApiError } from "../errors";
import { requireScope } from "../middleware/authenticate";
import { enqueueEvent } from "../webhooks/deliveries";
import { testEvent } from "../webhooks/events";
import { DeliveryView, deliveryView, WebhookParams, webhookOr404 } from "./webhook-lookup";
import type { RouteDef } from "./route";

export const webhooksTest: RouteDef = {
  method: "post",
  path: "/v1/webhooks/{id}/test",
  operationId: "testWebhook",
  summary: "Send a test event to a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: {
    202: { description: "The test delivery, queued", schema: DeliveryView, headers: { Location: "The endpoint's delivery log" } },
    403: { description: "Missing webhooks:admin" },
    404: { description: "No such endpoint in this project" },
    409: { description: "The endpoint is disabled" },
  },
  register(app) {
    app.post("/v1/webhooks/:id/test", async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const db = database(c.env.DB);
      const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id"));
      if (endpoint.status !== "enabled") throw new ApiError("conflict", "The endpoint is disabled; enable it with PATCH first.");
      const now = Date.now();
      const [delivery] = await enqueueEvent(c.env, db, testEvent(endpoint.id, now), [endpoint], now);
      c.header("Location", `/v1/webhooks/${endpoint.id}/deliveries`);
      return c.json(deliveryView(delivery!), 202);
    });
  },
};
