/** POST /v1/webhooks/{id}/test — queues a signed `webhook.test` event to the endpoint; its outcome shows in the delivery log. */
import { database } from "../db/client";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { enqueueEvent } from "../webhooks/deliveries";
import { testEvent } from "../webhooks/events";
import {
  QUEUED_DELIVERY_EXAMPLE,
  DeliveryView,
  deliveryView,
  ENDPOINT_DISABLED,
  WEBHOOK_DISABLED_CONFLICT,
  WEBHOOK_NOT_FOUND,
  WebhookParams,
  webhookOr404,
} from "./webhook-lookup";
import { defineRoute } from "./route";

export const webhooksTest = defineRoute({
  method: "post",
  path: "/v1/webhooks/{id}/test",
  operationId: "testWebhook",
  summary: "Send a test event to a webhook endpoint",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams },
  responses: {
    202: {
      description: "The test delivery, queued; Location is the endpoint's delivery log",
      schema: DeliveryView,
      headers: ["Location"],
      example: {
        ...QUEUED_DELIVERY_EXAMPLE,
        eventType: "webhook.test",
        scanId: null,
      },
    },
    404: WEBHOOK_NOT_FOUND,
    409: WEBHOOK_DISABLED_CONFLICT,
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id") ?? "");
    if (endpoint.status !== "enabled") throw new ApiError("conflict", ENDPOINT_DISABLED);
    const now = Date.now();
    const [delivery] = await enqueueEvent(c.env, db, testEvent(endpoint.id, now), [endpoint], now);
    c.header("Location", `/v1/webhooks/${endpoint.id}/deliveries`);
    return c.json(deliveryView(delivery!), 202);
  },
});
