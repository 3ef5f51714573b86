/** GET /v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first, each with its attempts (no bodies). */
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { validationHook } from "../middleware/validation-hook";
import { decodeCursor, encodeCursor } from "../scans/views";
import { listDeliveries } from "../webhooks/deliveries";
import { DeliveryView, deliveryView, WebhookParams, webhookOr404 } from "./webhook-lookup";
import type { RouteDef } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
const Cursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ deliveries: z.array(DeliveryView), nextCursor: z.string().nullable() });

export const webhooksDeliveries: RouteDef = {
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "List a webhook endpoint's deliveries",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { params: WebhookParams, query: Query },
  responses: { 200: { description: "A page of deliveries with their attempts", schema: Page }, 400: { description: "Invalid query" }, 403: { description: "Missing webhooks:admin" }, 404: { description: "No such endpoint in this project" } },
  register(app) {
    app.get("/v1/webhooks/:id/deliveries", zValidator("query", Query, validationHook), async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const q = c.req.valid("query");
      const db = database(c.env.DB);
      const endpoint = await webhookOr404(db, caller.projectId, c.req.param("id"));
      const before = q.cursor ? decodeCursor(q.cursor, Cursor) : undefined;
      const rows = await listDeliveries(db, endpoint.id, { limit: q.limit + 1, before: before && { createdAt: before.c, id: before.i } });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ deliveries: page.map((r) => deliveryView(r, r.attemptLog)), nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null });
    });
  },
};
