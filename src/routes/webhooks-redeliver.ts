/**
 * POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends a finished delivery's event
 * again as a new delivery with a fresh retry schedule. The `webhook-id` stays the event's, so a
 * receiver that did process it can drop the copy.
 */
import { database } from "../db/client";
import { ApiError } from "../errors";
import { requireScope } from "../middleware/authenticate";
import { redeliver } from "../webhooks/deliveries";
import { DeliveryParams, deliveryOr404, DeliveryView, deliveryView, webhookOr404 } from "./webhook-lookup";
import type { RouteDef } from "./route";

export const webhooksRedeliver: RouteDef = {
  method: "post",
  path: "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  operationId: "redeliverWebhook",
  summary: "Redeliver an event",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: DeliveryParams },
  responses: {
    202: { description: "The new delivery, queued", schema: DeliveryView },
    403: { description: "Missing webhooks:admin" },
    404: { description: "No such endpoint or delivery in this project" },
    409: { description: "The delivery is still pending, or the endpoint is disabled" },
  },
  register(app) {
    app.post("/v1/webhooks/:id/deliveries/:deliveryId/redeliver", async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const db = database(c.env.DB);
      const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id"));
      const delivery = await deliveryOr404(db, endpoint, c.req.param("deliveryId"));
      if (endpoint.status !== "enabled") throw new ApiError("conflict", "The endpoint is disabled; enable it with PATCH first.");
      if (delivery.status === "pending") throw new ApiError("conflict", "The delivery is still pending: it will be attempted again.");
      return c.json(deliveryView(await redeliver(c.env, db, delivery)), 202);
    });
  },
};
