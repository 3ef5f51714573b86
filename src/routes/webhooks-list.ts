/** GET /v1/webhooks — the project's webhook endpoints, newest first, with cursor pagination. */
import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { database } from "../db/client";
import { requireScope } from "../middleware/authenticate";
import { validationHook } from "../middleware/validation-hook";
import { decodeCursor, encodeCursor } from "../scans/views";
import { listEndpoints } from "../webhooks/endpoints";
import { WebhookView, webhookView } from "./webhook-lookup";
import type { RouteDef } from "./route";

const Query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
const Cursor = z.object({ c: z.number().int(), i: z.string() });
const Page = z.object({ webhooks: z.array(WebhookView), nextCursor: z.string().nullable() });

export const webhooksList: RouteDef = {
  method: "get",
  path: "/v1/webhooks",
  operationId: "listWebhooks",
  summary: "List webhook endpoints",
  tags: ["webhooks"],
  auth: "apiKey",
  scope: "webhooks:admin",
  request: { query: Query },
  responses: { 200: { description: "A page of endpoints (no secrets)", schema: Page }, 400: { description: "Invalid query" }, 403: { description: "Missing webhooks:admin" } },
  register(app) {
    app.get("/v1/webhooks", zValidator("query", Query, validationHook), async (c) => {
      const caller = requireScope(c, "webhooks:admin");
      const q = c.req.valid("query");
      const before = q.cursor ? decodeCursor(q.cursor, Cursor) : undefined;
      const rows = await listEndpoints(database(c.env.DB), caller.projectId, { limit: q.limit + 1, before: before && { createdAt: before.c, id: before.i } });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json({ webhooks: page.map((r) => webhookView(r)), nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null });
    });
  },
};
