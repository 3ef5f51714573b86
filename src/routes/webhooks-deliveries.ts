/** GET /v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first, each with its attempts (no bodies). */
import { z } from "zod";
import { database } from "../db/client";
import { projectCaller } from "../middleware/authenticate";
import { decodeCursor, encodeCursor } from "../scans/views";
import { listDeliveries } from "../webhooks/deliveries";
import { DELIVERY_EXAMPLE, DeliveryView, deliveryView, WEBHOOK_NOT_FOUND, WebhookParams, webhookOr404 } from "./webhook-lookup";
import { defineRoute } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
/** A page boundary: the last delivery's creation time and id (the dashboard pages deliveries with it too). */
export const DeliveryCursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ deliveries: z.array(DeliveryView), nextCursor: z.string().nullable() }).meta({ id: "WebhookDeliveryPage" });

export const webhooksDeliveries = defineRoute({
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "List a webhook endpoint's deliveries",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams, query: Query },
  responses: {
    200: {
      description: "A page of deliveries, newest first, with their attempts",
      schema: Page,
      example: { deliveries: [DELIVERY_EXAMPLE], nextCursor: null },
    },
    404: WEBHOOK_NOT_FOUND,
  },
  async handler(c, { query: q }) {
    const caller = projectCaller(c);
    const db = database(c.env.DB);
    const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id") ?? "");
    const before = q.cursor ? decodeCursor(q.cursor, DeliveryCursor) : undefined;
    const rows = await listDeliveries(db, endpoint.id, { limit: q.limit + 1, before: before && { createdAt: before.c, id: before.i } });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json({
      deliveries: page.map((r) => deliveryView(r, r.attemptLog)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
    });
  },
});
