/**
 * POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends a finished delivery's event
 * again as a new delivery with a fresh retry schedule. The `webhook-id` stays the event's, so a
 * receiver that did process it can drop the copy.
 */
import { database } from "../db/client";
import { ApiError } from "../errors";
import { projectCaller } from "../middleware/authenticate";
import { problemExample } from "../openapi";
import { redeliver } from "../webhooks/deliveries";
import {
  DELIVERY_EXAMPLE,
  QUEUED_DELIVERY_EXAMPLE,
  DeliveryParams,
  deliveryOr404,
  DeliveryView,
  deliveryView,
  ENDPOINT_DISABLED,
  WEBHOOK_NOT_FOUND,
  webhookOr404,
} from "./webhook-lookup";
import { defineRoute } from "./route";

export const webhooksRedeliver = defineRoute({
  method: "post",
  path: "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  operationId: "redeliverWebhook",
  summary: "Redeliver an event",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: DeliveryParams },
  responses: {
    202: {
      description: "The new delivery, queued",
      schema: DeliveryView,
      example: {
        ...QUEUED_DELIVERY_EXAMPLE,
        id: "whd_1f2a3b4c3c9a0f2b7d1e4f5a8b6c9d0e",
      },
    },
    404: { description: "No such endpoint or delivery in this project", example: WEBHOOK_NOT_FOUND.example },
    409: {
      description: "The delivery is still pending, or the endpoint is disabled",
      example: problemExample(
        "conflict",
        `/v1/webhooks/${DELIVERY_EXAMPLE.webhookId}/deliveries/${DELIVERY_EXAMPLE.id}/redeliver`,
        "The delivery is still pending: it will be attempted again.",
      ),
    },
  },
  async handler(c) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id") ?? "");
    const delivery = await deliveryOr404(db, endpoint, c.req.param("deliveryId") ?? "");
    if (endpoint.status !== "enabled") throw new ApiError("conflict", ENDPOINT_DISABLED);
    if (delivery.status === "pending") throw new ApiError("conflict", "The delivery is still pending: it will be attempted again.");
    return c.json(deliveryView(await redeliver(c.env, db, delivery)), 202);
  },
});
